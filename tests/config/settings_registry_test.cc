// The settings registry: every variable once, defaults that pass their own
// checks in every environment, and the README's table generated from it.
#include "config/settings_registry.h"

#include <gtest/gtest.h>

#include "config_test_util.h"

#include <fstream>
#include <set>
#include <sstream>

#include "config/setting_check.h"
#include "config/settings_table.h"

namespace ibr::config {
namespace {

TEST(SettingsRegistryTest, EachVariableOnceWithDocAndValidDefaults) {
  std::set<std::string> names;
  for (const auto& s : Settings()) {
    EXPECT_TRUE(names.insert(s.name).second) << s.name << " twice";
    EXPECT_GT(std::string(s.doc).size(), 10u) << s.name;
    EXPECT_NE(s.programs, 0u) << s.name;
    for (const auto& env : Environments()) {
      std::string d = DefaultValue(s, env, env.upstream_port(), "host1");
      if (d.empty()) continue;
      Status st = CheckSetting(s, d);
      EXPECT_TRUE(st.ok()) << s.name << " default '" << d << "' in " << env.name << ": " << st.message();
    }
  }
  for (const char* n : {"IB_STREAM_ENVIRONMENT", "IB_STREAM_STORAGE_PATH", "IB_STREAM_API_KEY", "IB_SYNC_DSN",
                        "IB_SYNC_INTERVAL_MS", "IB_SYNC_BATCH_ROWS", "PORT", "IB_STREAM_RECORDER_PORT"}) {
    EXPECT_NE(FindSetting(n), nullptr) << n;
  }
  EXPECT_TRUE(SettingNamed("IB_STREAM_API_KEY").secret());
  EXPECT_TRUE(SettingNamed("IB_SYNC_DSN").secret());
  EXPECT_FALSE(SettingNamed("IB_STREAM_STORAGE_PATH").secret());
  EXPECT_STREQ(SettingNamed("NO_SUCH_THING").name, "UNREGISTERED_SETTING");
}

TEST(SettingsRegistryTest, PerEnvironmentDefaults) {
  const Environment& dev = *FindEnvironment("development");
  EXPECT_EQ(DefaultValue(SettingNamed("PORT"), dev, 8101, "h"), "8101");
  EXPECT_EQ(DefaultValue(SettingNamed("IB_STREAM_RECORDER_PORT"), dev, 8101, "h"), "8102");
  EXPECT_EQ(DefaultValue(SettingNamed("IB_STREAM_CLIENT_ID"), dev, 8101, "h"), "12");
  EXPECT_EQ(DefaultValue(SettingNamed("IB_STREAM_STORAGE_PATH"), dev, 8101, "h"), "/var/lib/ib-recorder/development");
  EXPECT_EQ(DefaultValue(SettingNamed("IB_STREAM_UPSTREAM_URL"), dev, 9001, "h"), "http://127.0.0.1:9001");
  EXPECT_EQ(DefaultValue(SettingNamed("IB_STREAM_INSTANCE_NAME"), dev, 8101, "h"), "development-h");
  EXPECT_EQ(FindEnvironment("staging")->client_id, 22);
  EXPECT_EQ(FindEnvironment("production")->background_client_id, 10);
  EXPECT_EQ(FindEnvironment("prod"), nullptr);
}

TEST(SettingsRegistryTest, TyposFindTheirNearestName) {
  EXPECT_EQ(NearestSetting("IB_STREAM_STORAGE_PAHT"), "IB_STREAM_STORAGE_PATH");
  EXPECT_EQ(NearestSetting("IB_STREAM_COMPLETELY_DIFFERENT"), "");
  EXPECT_TRUE(LooksLikeOurs("IB_SYNC_X"));
  EXPECT_FALSE(LooksLikeOurs("PGHOST"));
}

TEST(SettingsRegistryTest, ChecksNameTheVariableTheValueAndTheExpectation) {
  EXPECT_EQ(CheckSetting(SettingNamed("IB_STREAM_LZ4_LEVEL"), "13").message(),
            "IB_STREAM_LZ4_LEVEL='13' is not valid: expected a whole number from 0 to 12");
  EXPECT_EQ(CheckSetting(SettingNamed("IB_STREAM_SOURCE"), "tws", "--source").message(),
            "--source='tws' is not valid: expected sse, sim or http");
  Status key = CheckSetting(SettingNamed("IB_STREAM_API_KEY"), "short");
  EXPECT_EQ(key.message().find("short"), std::string::npos) << key.message();
  Status dsn = CheckSetting(SettingNamed("IB_SYNC_DSN"), "host=x password=pw\n");
  EXPECT_FALSE(dsn.ok());
  EXPECT_EQ(dsn.message().find("pw"), std::string::npos) << dsn.message();
  EXPECT_EQ(*DurationValue(SettingNamed("IB_STREAM_RECONNECT_DELAY"), "1m30s"), 90 * kUsPerSecond);
  EXPECT_FALSE(DurationValue(SettingNamed("IB_STREAM_RECONNECT_DELAY"), "2h").ok());
  EXPECT_FALSE(BoolValue(SettingNamed("IB_STREAM_ENABLE_STORAGE"), "maybe").ok());
}

TEST(SettingsRegistryTest, ReadmeTableIsTheRegistrys) {
  const std::string readme = ReadWholeFile(std::string(IBR_SOURCE_DIR) + "/README.md");
  const std::size_t begin = readme.find(kTableBegin);
  const std::size_t end = readme.find(kTableEnd);
  ASSERT_NE(begin, std::string::npos) << "README.md lacks the marker " << kTableBegin;
  ASSERT_NE(end, std::string::npos) << "README.md lacks the marker " << kTableEnd;
  const std::size_t from = readme.find('\n', begin) + 1;
  EXPECT_EQ(readme.substr(from, end - from), SettingsMarkdownTable())
      << "README.md's settings table differs from the registry: paste `ib-recorder config table --markdown` between "
         "the markers";
}

}  // namespace
}  // namespace ibr::config
