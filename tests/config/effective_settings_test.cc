// `config show`'s data: every setting's effective value and where it came from, secrets masked.
#include "config/effective_settings.h"

#include <gtest/gtest.h>

namespace ibr::config {
namespace {

const EffectiveSetting& Named(const std::vector<EffectiveSetting>& all, const std::string& name) {
  for (const auto& e : all) {
    if (name == e.setting->name) return e;
  }
  static const EffectiveSetting kNone;
  ADD_FAILURE() << name << " not shown";
  return kNone;
}

TEST(EffectiveSettingsTest, SourcesInPrecedenceOrderAndSecretsMasked) {
  EnvMap flags{{"IB_STREAM_RECORDER_PORT", "8150"}};
  EnvMap process{{"IB_STREAM_SOURCE", "sim"}, {"IB_STREAM_RECORDER_PORT", "8160"}};
  EnvMap file{{"IB_STREAM_ENVIRONMENT", "development"}, {"IB_STREAM_SOURCE", "http"},
              {"IB_STREAM_API_KEY", "k3y-that-is-long"}, {"IB_STREAM_TRACKED_CONTRACTS", ""}};
  auto all = ResolveEffective(kRecorder, flags, process, file, "host1");
  EXPECT_EQ(Named(all, "IB_STREAM_RECORDER_PORT").value, "8150");
  EXPECT_EQ(Named(all, "IB_STREAM_RECORDER_PORT").source, SettingSource::kCommandLine);
  EXPECT_EQ(Named(all, "IB_STREAM_SOURCE").value, "sim");
  EXPECT_EQ(Named(all, "IB_STREAM_SOURCE").source, SettingSource::kEnvironment);
  EXPECT_EQ(Named(all, "IB_STREAM_ENVIRONMENT").source, SettingSource::kFile);
  EXPECT_EQ(Named(all, "IB_STREAM_TRACKED_CONTRACTS").source, SettingSource::kFile);  // empty is a value
  EXPECT_EQ(Named(all, "PORT").value, "8101");                                       // development's default
  EXPECT_EQ(Named(all, "PORT").source, SettingSource::kDefault);
  EXPECT_EQ(Named(all, "IB_STREAM_UPSTREAM_URL").value, "http://127.0.0.1:8101");
  EXPECT_EQ(Named(all, "IB_STREAM_INSTANCE_NAME").value, "development-host1");
  EXPECT_EQ(Named(all, "IB_STREAM_API_KEY").value, "(set, not shown)");
  for (const auto& e : all) EXPECT_TRUE(e.setting->reads(kRecorder)) << e.setting->name;
  auto sync = ResolveEffective(kSync, {}, {}, {{"IB_SYNC_DSN", "host=db password=pw"}}, "");
  EXPECT_EQ(Named(sync, "IB_SYNC_DSN").value, "(set, not shown)");
  EXPECT_EQ(Named(sync, "IB_SYNC_PASSWORD").value, "(not set)");
  EXPECT_EQ(Named(sync, "IB_STREAM_STORAGE_PATH").value, "/var/lib/ib-recorder/production");
  EXPECT_STREQ(SettingSourceName(SettingSource::kCommandLine), "command line");
}

}  // namespace
}  // namespace ibr::config
