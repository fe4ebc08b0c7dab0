// Settings precedence (env files: tests/common/env_file_test.cc), DSN masking
// (backoff: tests/common/backoff_test.cc).
#include <gtest/gtest.h>

#include "common/env_file.h"
#include "sync_config.h"

namespace ibr::sync {
namespace {

TEST(SyncConfig, CommandLineBeatsEnvironmentBeatsFileBeatsDefault) {
  EnvMap file{{"IB_STREAM_STORAGE_PATH", "/file"}, {"IB_SYNC_INTERVAL_MS", "250"}, {"IB_SYNC_BATCH_ROWS", "100"}};
  std::map<std::string, std::string> process{{"IB_STREAM_STORAGE_PATH", "/env"}};
  EnvLookup env = [&](const std::string& k) -> std::optional<std::string> {
    auto it = process.find(k);
    return it == process.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  auto s = ResolveSettings({}, env, file);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->storage_root, "/env");
  EXPECT_EQ(s->interval, 250 * 1000);
  EXPECT_EQ(s->batch_rows, 100u);
  EXPECT_EQ(s->dsn, "");
  CliSettings cli;
  cli.storage = "/cli";
  cli.interval = "2s";
  s = ResolveSettings(cli, env, file);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->storage_root, "/cli");
  EXPECT_EQ(s->interval, 2 * kUsPerSecond);
  auto d = ResolveSettings({}, [](const std::string&) { return std::nullopt; }, {});
  EXPECT_EQ(d->storage_root, "/var/lib/ib-recorder/production");  // the registry's default, as ib-recorder's
  EXPECT_EQ(d->interval, kUsPerSecond);
  EXPECT_EQ(d->batch_rows, 5000u);
}

TEST(SyncConfig, BadValuesAreErrorsThatQuoteThem) {
  CliSettings cli;
  cli.interval = "soon";
  auto s = ResolveSettings(cli, [](const std::string&) { return std::nullopt; }, {});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("'soon'"), std::string::npos);
  EXPECT_EQ(*ParseInterval("500ms"), 500 * 1000);
  EXPECT_FALSE(ParseInterval("0ms").ok());
}

TEST(SyncConfig, ValuesAreCheckedAgainstTheSettingsRegistry) {
  auto none = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  auto s = ResolveSettings({}, none, {{"IB_STREAM_STORAGE_PATH", "/srv/st\xFFore"}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "IB_STREAM_STORAGE_PATH='/srv/st\\xFFore' is not valid: it is not valid UTF-8; expected a directory path in "
            "UTF-8 without control characters");
  s = ResolveSettings({}, none, {{"IB_SYNC_BATCH_ROWS", "0"}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "IB_SYNC_BATCH_ROWS='0' is not valid: expected a whole number from 1 to 10000000");
  s = ResolveSettings({}, none, {{"IB_STREAM_ENVIRONMENT", "staging"}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->storage_root, "/var/lib/ib-recorder/staging");
  CliSettings cli;
  cli.dsn = "host=db password=pw\n";
  s = ResolveSettings(cli, none, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message().find("pw"), std::string::npos) << s.status().message();
}

TEST(SyncConfig, EnvFileLibpqVariablesYieldToTheProcessEnvironment) {
  EnvMap file{{"PGHOST", "central"}, {"PGPASSWORD", "pw"}, {"IB_STREAM_ENVIRONMENT", "production"}};
  auto out = LibpqVariablesToExport(file, [](const std::string& k) -> std::optional<std::string> {
    return k == "PGHOST" ? std::optional<std::string>("override") : std::nullopt;
  });
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].first, "PGPASSWORD");
}

}  // namespace
}  // namespace ibr::sync
