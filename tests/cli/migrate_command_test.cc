// `ib-recorder migrate` and `validate-migration` through the command line
// (RunApp): exit codes 0 / 1 / 2, --json answers, --help, usage errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/app.h"
#include "migration/migration_test_util.h"

namespace ibr::cli {
namespace {

using ibr::testing::QuotesEverySecond;
using ibr::testing::Slice;
using ibr::testing::T;

struct MigrateAppRun {
  int code = 0;
  std::string out, err;
};

MigrateAppRun RunMigrateApp(std::vector<std::string> args) {
  args.insert(args.begin(), "ib-recorder");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  MigrateAppRun r;
  r.code = RunApp(static_cast<int>(argv.size()), argv.data());
  r.out = ::testing::internal::GetCapturedStdout();
  r.err = ::testing::internal::GetCapturedStderr();
  return r;
}

class MigrateCommandTest : public ::testing::Test {
 protected:
  MigrateCommandTest() : clock_(T("2025-03-10T14:10:00Z")) {}
  void Roots(int green_from) {
    ibr::testing::WriteTicks(blue_, "blue", Slice(feed_, t0_, 0, 60), clock_);
    ibr::testing::WriteTicks(green_, "green", Slice(feed_, t0_, green_from, 120), clock_);
  }
  std::vector<std::string> Step(const std::string& step) {
    return {"migrate", step, "--storage", blue_, "--source", "blue", "--target", "green", "--contracts", "265598"};
  }
  const TimeUs t0_ = T("2025-03-10T14:00:00Z");
  std::vector<Tick> feed_ = QuotesEverySecond(265598, t0_, 120);
  ibr::testing::TempDir dir_;
  std::string blue_ = dir_.path() + "/storage", green_ = dir_.path() + "/storage-new";
  ManualClock clock_;
};

TEST_F(MigrateCommandTest, HelpListsStepsAndExitCodes) {
  for (const char* cmd : {"migrate", "validate-migration"}) {
    auto r = RunMigrateApp({cmd, "--help"});
    EXPECT_EQ(r.code, 0) << cmd;
    EXPECT_NE(r.out.find("Exit codes"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--json"), std::string::npos) << r.out;
  }
  EXPECT_NE(RunMigrateApp({"migrate", "--help"}).out.find("rollback"), std::string::npos);
}

TEST_F(MigrateCommandTest, UsageErrorsExitTwo) {
  Roots(62);
  auto r = RunMigrateApp({"migrate", "upgrade", "--storage", blue_, "--source", "a", "--target", "b"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown step 'upgrade'"), std::string::npos) << r.err;
  r = RunMigrateApp({"migrate", "handoff", "--storage", blue_, "--target", "b"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--source"), std::string::npos) << r.err;
  r = RunMigrateApp({"migrate", "handoff", "--storage", dir_.path() + "/missing", "--source", "a", "--target", "b"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("has no catalog"), std::string::npos) << r.err;
  auto bad_gap = Step("validate");
  bad_gap.insert(bad_gap.end(), {"--target-storage", green_, "--max-gap", "5 seconds"});
  r = RunMigrateApp(bad_gap);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("'5 seconds'"), std::string::npos) << r.err;
  r = RunMigrateApp({"validate-migration", "--old", blue_});
  EXPECT_EQ(r.code, 2);
  r = RunMigrateApp({"validate-migration", "--old", blue_, "--new", dir_.path() + "/missing"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no catalog"), std::string::npos) << r.err;
}

TEST_F(MigrateCommandTest, ValidateMigrationExitsOneOnAGapAndZeroWithin) {
  Roots(70);  // 11 s gap
  auto r = RunMigrateApp({"validate-migration", "--old", blue_, "--new", green_, "--json"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["contracts"][0]["contract_id"], 265598);
  EXPECT_EQ(j["contracts"][0]["gap_seconds"], 11.0);
  r = RunMigrateApp({"validate-migration", "--old", blue_, "--new", green_, "--max-gap", "2m"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("continuity ok"), std::string::npos) << r.out;
}

TEST_F(MigrateCommandTest, StepsAnswerJsonAndExitOneWhenValidationFails) {
  Roots(70);
  auto r = RunMigrateApp([&] { auto a = Step("handoff"); a.push_back("--json"); return a; }());
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["event_type"], "handoff");
  EXPECT_EQ(j["event_status"], "started");
  auto v = Step("validate");
  v.insert(v.end(), {"--target-storage", green_, "--json"});
  r = RunMigrateApp(v);
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["event_status"], "failed");
  EXPECT_EQ(j["validation_results"]["contracts"][0]["ok"], false);
  r = RunMigrateApp(Step("complete"));
  EXPECT_EQ(r.code, 1);
  r = RunMigrateApp(Step("rollback"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("rollback, completed"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace ibr::cli
