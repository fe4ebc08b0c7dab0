// `ib-recorder config check|show|template|table` through the command line (RunApp):
// exit codes 0 / 1 / 2, one problem per line, --json, sources and masked secrets, --help.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/app.h"
#include "config/env_template.h"
#include "config/settings_table.h"
#include "daemon/recorder_config.h"

namespace ibr::cli {
namespace {

struct AppRun {
  int code = 0;
  std::string out, err;
};

AppRun RunConfigApp(std::vector<std::string> args) {
  args.insert(args.begin(), "ib-recorder");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  AppRun r;
  r.code = RunApp(static_cast<int>(argv.size()), argv.data());
  r.out = ::testing::internal::GetCapturedStdout();
  r.err = ::testing::internal::GetCapturedStderr();
  return r;
}

class ConfigCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ibr-cfgcmd-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::filesystem::create_directories(dir_ + "/store");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
    return dir_ + "/" + name;
  }
  std::string dir_;
};

TEST_F(ConfigCommandTest, CheckExitCodes) {
  const std::string good = Write("production.env", "IB_STREAM_STORAGE_PATH=" + dir_ + "/store\n");
  AppRun r = RunConfigApp({"config", "check", "--env-file", good});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(": ok"), std::string::npos) << r.out;

  const std::string bad = Write("staging.env", "IB_STREAM_ENVIRONMENT=staging\nIB_STREAM_STORAGE_PATH=" + dir_ +
                                                   "/store\nIB_STREAM_LZ4_LEVEL=99\nIB_STREAM_API_KEY=short\n");
  r = RunConfigApp({"config", "check", "--env-file", bad});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("IB_STREAM_LZ4_LEVEL='99' is not valid: expected a whole number from 0 to 12\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("is also the storage root of production.env"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("short"), std::string::npos) << r.out;

  r = RunConfigApp({"config", "check", "--env-file", bad, "--json"});
  EXPECT_EQ(r.code, 1);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["problems"].size(), 3u) << r.out;

  r = RunConfigApp({"config", "check", "--env-file", dir_ + "/missing.env"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("cannot read"), std::string::npos) << r.err;
  EXPECT_EQ(RunConfigApp({"config", "check"}).code, 2);  // --env-file is required
}

TEST_F(ConfigCommandTest, ShowGivesEveryValueAndItsSourceWithSecretsMasked) {
  const std::string f = Write("development.env", "IB_STREAM_ENVIRONMENT=development\nIB_STREAM_API_KEY=k3y-that-is-long\n");
  ::unsetenv("IB_STREAM_SOURCE");
  ::unsetenv("IB_STREAM_API_KEY");
  ::unsetenv("IB_STREAM_ENVIRONMENT");
  ::setenv("IB_STREAM_LZ4_LEVEL", "7", 1);
  AppRun r = RunConfigApp({"config", "show", "--env-file", f, "--port", "8150"});
  ::unsetenv("IB_STREAM_LZ4_LEVEL");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("IB_STREAM_RECORDER_PORT=8150  (command line)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("IB_STREAM_LZ4_LEVEL=7  (environment)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("IB_STREAM_ENVIRONMENT=development  (file)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PORT=8101  (default)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("IB_STREAM_API_KEY=(set, not shown)  (file)\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("k3y-that-is-long"), std::string::npos) << r.out;
  r = RunConfigApp({"config", "show", "--env-file", f, "--json"});
  auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j["settings"].empty());
  EXPECT_EQ(RunConfigApp({"config", "show", "--env-file", dir_ + "/missing.env"}).code, 2);
}

TEST_F(ConfigCommandTest, TemplateAndTablePrintTheGenerators) {
  AppRun r = RunConfigApp({"config", "template", "--environment", "staging"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, config::EnvFileTemplate(*config::FindEnvironment("staging"), config::TemplateVariant::kStandard));
  r = RunConfigApp({"config", "template", "--environment", "development", "--variant", "api-only"});
  EXPECT_EQ(r.out, config::EnvFileTemplate(*config::FindEnvironment("development"), config::TemplateVariant::kApiOnly));
  r = RunConfigApp({"config", "template", "--environment", "prod"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--environment='prod' is not valid: expected production, development or staging"),
            std::string::npos)
      << r.err;
  r = RunConfigApp({"config", "table", "--markdown"});
  EXPECT_EQ(r.out, config::SettingsMarkdownTable());
  for (const char* sub : {"check", "show", "template", "table"}) {
    r = RunConfigApp({"config", sub, "--help"});
    EXPECT_EQ(r.code, 0) << sub;
    EXPECT_NE(r.out.find("--"), std::string::npos) << sub << ": " << r.out;
  }
}

TEST(ShippedEnvFiles, StartUpResolvesEachOfThem) {
  // What `run --env-file /etc/ib-recorder/<env>.env` reads (the process environment left out).
  for (const char* name : {"production", "staging", "development", "development-recording", "development-api-only"}) {
    daemon::RecorderFlags flags;
    flags.env_file = std::string(IBR_SOURCE_DIR) + "/packaging/config/" + name + ".env";
    auto c = daemon::ResolveRecorderConfig(flags, {});
    ASSERT_TRUE(c.ok()) << name << ": " << c.status().ToString();
    EXPECT_TRUE(c->warnings.empty()) << name << ": " << c->warnings.front();
    const config::Environment& env = *config::FindEnvironment(c->environment);
    EXPECT_EQ(c->recorder_port, env.recorder_port()) << name;
    EXPECT_EQ(c->client_id, env.client_id) << name;
    EXPECT_EQ(c->storage_path, env.storage_root()) << name;
    EXPECT_EQ(c->read_only, std::string(name) == "development-api-only") << name;
  }
}

}  // namespace
}  // namespace ibr::cli
