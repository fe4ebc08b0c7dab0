// `config check` on env files with each kind of mistake: syntax, a bad value,
// an unknown name, a port outside the block, a client id or storage root
// another environment's file uses, an unwritable root, too many contracts.
#include "config/config_check.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config_text.h"

namespace ibr::config {
namespace {

class ConfigCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ibr-cfgcheck-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
    return dir_ + "/" + name;
  }
  // An env file of `environment` whose storage root exists under the test directory.
  std::string Good(const std::string& environment, const std::string& extra = "") {
    std::filesystem::create_directories(dir_ + "/" + environment);
    return "IB_STREAM_ENVIRONMENT=" + environment + "\nIB_STREAM_STORAGE_PATH=" + dir_ + "/" + environment + "\n" + extra;
  }
  std::vector<ConfigProblem> Check(const std::string& path, Program p = kRecorder) {
    ConfigCheckOptions o;
    o.program = p;
    auto r = CheckEnvFile(PosixFileSystem::Instance(), path, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<ConfigProblem>{};
  }
  static std::string Lines(const std::vector<ConfigProblem>& ps) {
    std::string out;
    for (const auto& p : ps) out += p.message + "\n";
    return out;
  }

  std::string dir_;
};

TEST_F(ConfigCheckTest, AGoodFileHasNoProblems) {
  EXPECT_EQ(Lines(Check(Write("production.env", Good("production", "IB_STREAM_TRACKED_CONTRACTS=1:A\n")))), "");
}

TEST_F(ConfigCheckTest, IsolatedModeNeedsARootOfItsOwn) {
  const std::string lines =
      Lines(Check(Write("development.env", "IB_STREAM_ENVIRONMENT=development\nIB_STREAM_MODE=isolated\n")));
  EXPECT_NE(lines.find("IB_STREAM_MODE='isolated' needs its own storage root, but IB_STREAM_STORAGE_PATH is the "
                       "development environment's (/var/lib/ib-recorder/development)"),
            std::string::npos)
      << lines;
  EXPECT_EQ(Lines(Check(Write("feature.env", Good("development", "IB_STREAM_MODE=isolated\n")))), "");
}

TEST_F(ConfigCheckTest, UnreadableFileIsAnError) {
  ConfigCheckOptions o;
  EXPECT_FALSE(CheckEnvFile(PosixFileSystem::Instance(), dir_ + "/missing.env", o).ok());
}

TEST_F(ConfigCheckTest, SyntaxError) {
  auto ps = Check(Write("x.env", "this is not a setting\n"));
  ASSERT_EQ(ps.size(), 1u) << Lines(ps);
  EXPECT_NE(ps[0].message.find("line 1"), std::string::npos) << ps[0].message;
}

TEST_F(ConfigCheckTest, EachBadValueOnItsOwnLineNamingVariableAndValue) {
  auto ps = Check(Write("production.env", Good("production",
                                               "IB_STREAM_LZ4_LEVEL=13\nIB_STREAM_SOURCE=tws\n"
                                               "IB_STREAM_TRACKED_CONTRACTS=\"1:MN\\tQ\"\nIB_STREAM_API_KEY=short\n")));
  std::string all = Lines(ps);
  ASSERT_EQ(ps.size(), 4u) << all;
  EXPECT_NE(all.find("IB_STREAM_LZ4_LEVEL='13' is not valid: expected a whole number from 0 to 12"), std::string::npos) << all;
  EXPECT_NE(all.find("IB_STREAM_SOURCE='tws' is not valid: expected sse, sim or http"), std::string::npos) << all;
  EXPECT_NE(all.find("IB_STREAM_TRACKED_CONTRACTS='1:MN\\tQ' is not valid"), std::string::npos) << all;
  EXPECT_NE(all.find("IB_STREAM_API_KEY is not valid (value not shown)"), std::string::npos) << all;
  EXPECT_EQ(all.find("short"), std::string::npos) << "a secret was shown: " << all;
}

TEST_F(ConfigCheckTest, UnknownNamesAreLikelyTypos) {
  auto ps = Check(Write("production.env", Good("production", "IB_STREAM_STORAGE_PAHT=/x\nPGHOST=db\nOTHER=1\n")));
  ASSERT_EQ(ps.size(), 1u) << Lines(ps);
  EXPECT_EQ(ps[0].message,
            "IB_STREAM_STORAGE_PAHT is not a setting ib-recorder or ib-sync reads (a typo?): did you mean "
            "IB_STREAM_STORAGE_PATH?");
}

TEST_F(ConfigCheckTest, PortsMustBeInTheEnvironmentsBlock) {
  auto ps = Check(Write("development.env", Good("development", "PORT=8001\nIB_STREAM_RECORDER_PORT=8150\n")));
  ASSERT_EQ(ps.size(), 1u) << Lines(ps);
  EXPECT_EQ(ps[0].message,
            "PORT='8001' is outside the development port block: expected 8100 to 8199 (upstream ib-stream: 8101)");
  EXPECT_EQ(ps[0].variable, "PORT");
}

TEST_F(ConfigCheckTest, ClientIdAndStorageRootMustNotBeAnotherEnvironmentsFiles) {
  Write("production.env", Good("production"));
  Write("development-recording.env", Good("development", "IB_STREAM_CLIENT_ID=2\n"));  // same env as below: fine
  const std::string staging = Write(
      "staging.env", "IB_STREAM_ENVIRONMENT=staging\nIB_STREAM_CLIENT_ID=2\nIB_STREAM_STORAGE_PATH=" + dir_ +
                         "/production/\n");
  auto ps = Check(staging);
  std::string all = Lines(ps);
  ASSERT_EQ(ps.size(), 3u) << all;  // client id: production.env and development-recording.env; storage: production.env
  EXPECT_NE(all.find("IB_STREAM_CLIENT_ID='2' is also the client id of production.env (production): expected a TWS "
                     "client id no other environment uses (staging: 22)"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("IB_STREAM_STORAGE_PATH='" + dir_ + "/production' is also the storage root of production.env"),
            std::string::npos)
      << all;
  // Two files of one environment (a template beside its environment's file) do not conflict.
  Write("development.env", Good("development", "IB_STREAM_CLIENT_ID=2\n"));
  EXPECT_EQ(Check(dir_ + "/development.env").size(), 2u) << "production.env's and staging.env's id 2, not the template's";
}

TEST_F(ConfigCheckTest, StorageRootMustBeWritableOrCreatable) {
  if (::geteuid() == 0) {
    // root may write anywhere: a root that is a file is the mistake left to find.
    Write("afile", "x");
    auto ps = Check(Write("production.env", "IB_STREAM_STORAGE_PATH=" + dir_ + "/afile\n"));
    ASSERT_EQ(ps.size(), 1u) << Lines(ps);
    EXPECT_NE(ps[0].message.find("it exists and is not a directory"), std::string::npos) << ps[0].message;
  } else {
    std::filesystem::create_directories(dir_ + "/locked");
    ::chmod((dir_ + "/locked").c_str(), 0500);
    auto ps = Check(Write("production.env", "IB_STREAM_STORAGE_PATH=" + dir_ + "/locked/store\n"));
    ::chmod((dir_ + "/locked").c_str(), 0700);
    ASSERT_EQ(ps.size(), 1u) << Lines(ps);
    EXPECT_NE(ps[0].message.find("cannot create it in " + dir_ + "/locked"), std::string::npos) << ps[0].message;
  }
  EXPECT_EQ(Check(Write("production.env", "IB_STREAM_STORAGE_PATH=" + dir_ + "/new/deeper\n")).size(), 0u);
}

TEST_F(ConfigCheckTest, TrackedContractsWithinMaxTracked) {
  auto ps = Check(Write("production.env", Good("production", "IB_STREAM_TRACKED_CONTRACTS=1:A,2:B,3:C\nIB_STREAM_MAX_TRACKED=2\n")));
  ASSERT_EQ(ps.size(), 1u) << Lines(ps);
  EXPECT_NE(ps[0].message.find("lists 3 contracts, more than IB_STREAM_MAX_TRACKED=2"), std::string::npos);
}

TEST_F(ConfigCheckTest, SyncCheckSkipsRecorderOnlyChecksAndUsesTheDsnHook) {
  const std::string path = Write("production.env", Good("production", "PORT=9999\nIB_SYNC_DSN=host=db password=pw\n"));
  ConfigCheckOptions o;
  o.program = kSync;
  o.check_dsn = [](const std::string&) { return Status::InvalidArgument("IB_SYNC_DSN is not valid (value not shown)"); };
  auto ps = CheckEnvFile(PosixFileSystem::Instance(), path, o);
  ASSERT_TRUE(ps.ok());
  ASSERT_EQ(ps->size(), 1u) << Lines(*ps);
  EXPECT_EQ((*ps)[0].variable, "IB_SYNC_DSN");
  EXPECT_EQ((*ps)[0].value, "(not shown)");
  const std::string json = ProblemsJson(path, *ps);
  EXPECT_EQ(json.find("pw"), std::string::npos) << json;
  EXPECT_NE(json.find("\"ok\":false"), std::string::npos) << json;
}

}  // namespace
}  // namespace ibr::config
