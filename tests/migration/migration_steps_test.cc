// MigrationSteps on real storage roots: each step's migration_events row
// (type, status, end, validation_results), the error paths (unknown step,
// missing --source, storage without catalog), handoff with and without a gap,
// complete refused after a failed validation, switch and rollback swapping
// storage-active (never missing for a reader while it swaps), prepare's checks.
#include "migration/migration_steps.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "common/json_text.h"
#include "format/file_header.h"
#include "migration/migration_test_util.h"
#include "migration/storage_link.h"
#include "migration/target_probe.h"
#include "storage/layout.h"

namespace ibr::migration {
namespace {

using ibr::testing::QuotesEverySecond;
using ibr::testing::Slice;
using ibr::testing::T;
using ibr::testing::TempDir;
using ibr::testing::WriteTicks;

class MigrationStepsTest : public ibr::testing::TwoRootsTest {
 protected:
  std::string Link() const { return dir_.path() + "/storage-active"; }
  void Roots(int green_from) {
    WriteTicks(Blue(), "blue", Slice(feed_, t0_, 0, 60), clock_);
    WriteTicks(Green(), "green", Slice(feed_, t0_, green_from, 120), clock_);
  }
  StepRequest Req(const std::string& step) {
    StepRequest r;
    r.step = step;
    r.storage = Blue();
    r.source = "blue";
    r.target = "green";
    r.contracts = {265598};
    r.target_storage = Green();
    return r;
  }
  StepOutcome Run(const StepRequest& r) {
    clock_.Advance(kUsPerSecond);
    auto out = RunStep(PosixFileSystem::Instance(), clock_, r);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? *out : StepOutcome{};
  }
  std::vector<catalog::MigrationEventRow> Rows() {
    auto cat = catalog::Catalog::Open(storage::CatalogPath(Blue()), catalog::Catalog::Mode::kReadOnly, clock_);
    EXPECT_TRUE(cat.ok());
    auto rows = (*cat)->ListMigrationEvents();
    EXPECT_TRUE(rows.ok());
    return *rows;
  }
};

TEST_F(MigrationStepsTest, UsageErrorsRecordNothing) {
  Roots(62);
  StepRequest r = Req("upgrade");
  auto out = RunStep(PosixFileSystem::Instance(), clock_, r);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("unknown step 'upgrade'"), std::string::npos);
  r = Req("handoff");
  r.source.clear();
  out = RunStep(PosixFileSystem::Instance(), clock_, r);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("--source INSTANCE is needed"), std::string::npos);
  r = Req("handoff");
  r.migration_type = "big_bang";
  EXPECT_FALSE(RunStep(PosixFileSystem::Instance(), clock_, r).ok());
  r = Req("handoff");
  r.storage = dir_.path() + "/nowhere";
  out = RunStep(PosixFileSystem::Instance(), clock_, r);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
  EXPECT_NE(out.status().message().find("has no catalog"), std::string::npos);
  EXPECT_TRUE(Rows().empty());
}

TEST_F(MigrationStepsTest, HandoffWithoutGapValidatesAndCompletes) {
  Roots(62);  // 3 s gap
  StepOutcome h = Run(Req("handoff"));
  EXPECT_TRUE(h.ok);
  EXPECT_EQ(h.event_type, "handoff");
  EXPECT_EQ(h.event_status, "started");
  StepOutcome again = Run(Req("handoff"));
  EXPECT_FALSE(again.ok);  // one open handoff per pair
  EXPECT_NE(again.message.find("already open"), std::string::npos);
  StepOutcome v = Run(Req("validate"));
  EXPECT_TRUE(v.ok) << v.message;
  EXPECT_EQ(v.event_type, "validation");
  EXPECT_EQ(v.event_status, "completed");
  StepOutcome c = Run(Req("complete"));
  EXPECT_TRUE(c.ok) << c.message;
  EXPECT_EQ(c.event_id, h.event_id);
  auto rows = Rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].event_type, "handoff");
  EXPECT_EQ(rows[0].event_status, "completed");
  ASSERT_TRUE(rows[0].event_end.has_value());
  EXPECT_GT(*rows[0].event_end, rows[0].event_start);
  EXPECT_EQ(rows[0].source_instance, "blue");
  EXPECT_EQ(rows[0].target_instance, "green");
  EXPECT_EQ(rows[0].contracts_migrated, (std::vector<std::uint32_t>{265598}));
  const auto results = nlohmann::json::parse(*rows[0].validation_results);  // copied from the validation
  EXPECT_EQ(results["ok"], true);
  EXPECT_EQ(results["contracts"][0]["gap_seconds"], 3.0);
  EXPECT_EQ(rows[1].event_type, "validation");
  EXPECT_EQ(rows[1].event_status, "completed");
}

TEST_F(MigrationStepsTest, HandoffWithGapFailsValidationAndCannotComplete) {
  Roots(70);  // 11 s gap
  Run(Req("handoff"));
  StepOutcome v = Run(Req("validate"));
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.event_status, "failed");
  EXPECT_NE(v.message.find("exceeds --max-gap 5s"), std::string::npos) << v.message;
  StepOutcome c = Run(Req("complete"));
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.message.find("failed"), std::string::npos);
  auto rows = Rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].event_status, "started");  // still open: roll back or re-validate
  EXPECT_EQ(rows[1].event_status, "failed");
  EXPECT_EQ(nlohmann::json::parse(*rows[1].validation_results)["ok"], false);
  // A wider tolerance passes on a second validation; then complete goes through.
  StepRequest wide = Req("validate");
  wide.max_gap = 15 * kUsPerSecond;
  EXPECT_TRUE(Run(wide).ok);
  EXPECT_TRUE(Run(Req("complete")).ok);
}

TEST_F(MigrationStepsTest, ValidateOfUnreadableTargetIsAnError) {
  WriteTicks(Blue(), "blue", Slice(feed_, t0_, 0, 60), clock_);
  auto out = RunStep(PosixFileSystem::Instance(), clock_, Req("validate"));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
  StepRequest r = Req("validate");
  r.target_storage.clear();
  out = RunStep(PosixFileSystem::Instance(), clock_, r);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("--target-storage"), std::string::npos);
}

TEST_F(MigrationStepsTest, CompleteWithoutHandoffFails) {
  Roots(62);
  StepOutcome c = Run(Req("complete"));
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.message.find("no open handoff"), std::string::npos);
  EXPECT_TRUE(Rows().empty());
}

TEST_F(MigrationStepsTest, SwitchThenRollbackSwapsTheLinkBack) {
  Roots(62);
  std::filesystem::create_directory_symlink(Blue(), Link());  // today: storage-active -> storage
  Run(Req("handoff"));
  StepRequest sw = Req("switch");
  sw.link = Link();
  sw.to = Green();
  StepOutcome s = Run(sw);
  ASSERT_TRUE(s.ok) << s.message;
  EXPECT_EQ(std::filesystem::read_symlink(Link()).string(), Green());
  StepRequest rb = Req("rollback");
  rb.link = Link();  // no --to: back to where the recorded switch came from
  StepOutcome b = Run(rb);
  ASSERT_TRUE(b.ok) << b.message;
  EXPECT_EQ(b.event_type, "rollback");
  EXPECT_EQ(b.event_status, "completed");
  EXPECT_EQ(std::filesystem::read_symlink(Link()).string(), Blue());
  for (const auto& e : std::filesystem::directory_iterator(dir_.path())) {
    EXPECT_EQ(e.path().filename().string().find(".ib-recorder-tmp"), std::string::npos) << e.path();
  }
  auto rows = Rows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].event_status, "failed");  // the handoff, rolled back
  EXPECT_NE(rows[0].notes->find("rolled back by migration event 3"), std::string::npos);
  EXPECT_EQ(rows[1].event_type, "handoff");  // the switch
  EXPECT_EQ(rows[1].event_status, "completed");
  const auto meta = nlohmann::json::parse(*rows[1].metadata);
  EXPECT_EQ(meta["step"], "switch");
  EXPECT_EQ(meta["link"]["from"], Blue());
  EXPECT_EQ(meta["link"]["to"], Green());
  EXPECT_EQ(nlohmann::json::parse(*rows[2].metadata)["link"]["to"], Blue());
}

TEST_F(MigrationStepsTest, RelativeLinkTextIsResolvedBesideTheLink) {
  Roots(62);
  std::filesystem::create_directory_symlink("storage", Link());  // ln -s storage storage-active, cwd elsewhere
  StepRequest sw = Req("switch");
  sw.link = Link();
  sw.to = Green();
  StepOutcome s = Run(sw);
  ASSERT_TRUE(s.ok) << s.message;
  EXPECT_EQ(nlohmann::json::parse(s.json)["link"]["from"], Blue());
  StepRequest rb = Req("rollback");
  rb.link = Link();
  StepOutcome b = Run(rb);
  ASSERT_TRUE(b.ok) << b.message;
  EXPECT_EQ(std::filesystem::read_symlink(Link()).string(), Blue());
}

TEST_F(MigrationStepsTest, RollbackWithoutRecordedSwitchNeedsTo) {
  Roots(62);
  StepRequest rb = Req("rollback");
  rb.link = Link();
  auto out = RunStep(PosixFileSystem::Instance(), clock_, rb);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("give --to DIR"), std::string::npos);
  rb.to = Blue();
  StepOutcome b = Run(rb);
  EXPECT_TRUE(b.ok) << b.message;
  EXPECT_EQ(std::filesystem::read_symlink(Link()).string(), Blue());  // created
}

TEST_F(MigrationStepsTest, SwitchOverARealDirectoryFailsAndLeavesIt) {
  Roots(62);
  std::filesystem::create_directory(Link());
  StepRequest sw = Req("switch");
  sw.link = Link();
  sw.to = Green();
  StepOutcome s = Run(sw);
  EXPECT_FALSE(s.ok);
  EXPECT_EQ(s.event_status, "failed");
  EXPECT_TRUE(std::filesystem::is_directory(std::filesystem::symlink_status(Link())));
  EXPECT_EQ(Rows().back().event_status, "failed");
}

TEST_F(MigrationStepsTest, SwapIsNeverMissingForAReader) {
  Roots(62);
  std::filesystem::create_directory_symlink(Blue(), Link());
  std::atomic<bool> done{false};
  std::atomic<int> missing{0}, reads{0};
  std::thread reader([&] {
    while (!done.load() || reads.load() == 0) {
      std::error_code ec;
      const auto target = std::filesystem::read_symlink(Link(), ec).string();
      if (ec || (target != Blue() && target != Green())) ++missing;
      ++reads;
    }
  });
  for (int i = 0; i < 200; ++i) {
    auto s = SwapStorageLink(PosixFileSystem::Instance(), Link(), i % 2 == 0 ? Green() : Blue());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
  }
  done = true;
  reader.join();
  EXPECT_EQ(missing.load(), 0) << "of " << reads.load() << " reads";
  EXPECT_EQ(std::filesystem::read_symlink(Link()).string(), Blue());
}

TEST_F(MigrationStepsTest, PrepareWithoutChecksSaysTheTargetWasNotChecked) {
  Roots(62);
  StepOutcome p = Run(Req("prepare"));
  EXPECT_TRUE(p.ok);
  EXPECT_EQ(p.event_type, "preparation");
  EXPECT_EQ(p.event_status, "completed");
  EXPECT_NE(p.message.find("NOT checked"), std::string::npos);
  const auto j = nlohmann::json::parse(p.json);
  EXPECT_EQ(j["target_checked"], false);
  EXPECT_EQ(j["validation_results"]["target_checked"], false);
}

TEST_F(MigrationStepsTest, PrepareRecordsAFailedTargetCheck) {
  Roots(62);
  StepRequest r = Req("prepare");
  r.target_url = "http://127.0.0.1:1";  // nothing listens on port 1
  r.target_env_file = dir_.path() + "/staging.env";
  std::ofstream(r.target_env_file) << "IB_STREAM_STORAGE_PATH=" << Green() << "\nIB_STREAM_MAX_TRACKED=zero\n";
  StepOutcome p = Run(r);
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.event_status, "failed");
  const auto results = nlohmann::json::parse(*Rows()[0].validation_results);
  ASSERT_EQ(results["checks"].size(), 2u);
  EXPECT_EQ(results["checks"][0]["check"], "target_url");
  EXPECT_EQ(results["checks"][0]["ok"], false);
  EXPECT_EQ(results["checks"][1]["check"], "target_env_file");
  EXPECT_EQ(results["checks"][1]["ok"], false);
  const std::string problems = SafeDump(results["checks"][1]["problems"]);
  EXPECT_NE(problems.find("IB_STREAM_MAX_TRACKED"), std::string::npos) << problems;
}

TEST(TargetProbeTest, JudgesHealthAnswers) {
  const std::string ours = std::to_string(format::kFormatVersion);
  auto ok = JudgeHealthAnswer("http://h:8102", 200,
                              R"({"status":"ok","instance":"green","storage":{"file_format_version":)" + ours +
                                  R"(,"catalog_schema_version":1}})");
  EXPECT_TRUE(ok.ok) << SafeDump(ok.details);
  EXPECT_EQ(ok.details["instance"], "green");
  auto newer = JudgeHealthAnswer("http://h:8102", 200,
                                 R"({"status":"ok","storage":{"file_format_version":99,"catalog_schema_version":1}})");
  EXPECT_FALSE(newer.ok);
  EXPECT_NE(newer.details["problems"][0].get<std::string>().find("file_format_version 99 is newer"), std::string::npos);
  EXPECT_FALSE(JudgeHealthAnswer("http://h:8102", 503, R"({"status":"unhealthy"})").ok);
  EXPECT_FALSE(JudgeHealthAnswer("http://h:8102", 200, "<html>").ok);
  auto old = JudgeHealthAnswer("http://h:8102", 200, R"({"status":"ok"})");
  EXPECT_TRUE(old.ok);  // an older recorder without versions: noted, not failed
  EXPECT_TRUE(old.details.contains("note"));
}

}  // namespace
}  // namespace ibr::migration
