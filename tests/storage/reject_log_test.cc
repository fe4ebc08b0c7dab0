// RejectLog's bounds (issue 10 item 6): at most keep_per_batch lines of one
// batch and bytes_per_day per day file are kept — counting what an earlier run
// left in today's file; every reject is still counted by reason, and what was
// not kept is counted too.
#include "storage/reject_log.h"

#include "storage_test_util.h"

namespace ibr::testing {
namespace {

TEST(RejectLogBounds, ABatchKeepsAtMostItsShareAndCountsEveryLine) {
  TempDir dir;
  ManualClock clock(T("2025-03-10T14:00:00Z"));
  storage::RejectLog log(dir.path(), PosixFileSystem::Instance(), clock, "test", {5, 1 << 20});
  log.BeginBatch();
  for (int i = 0; i < 50; ++i) log.Add(i + 1, ingest::RejectReason::kBadJson, "{oops", "not JSON");
  log.Add(51, ingest::RejectReason::kMissingField, "{}", "missing type");
  // The batch's own counts (what its answer reports), kept or not.
  EXPECT_EQ(log.batch_total(), 51u);
  EXPECT_EQ(log.batch_counts(), (std::map<std::string, std::int64_t>{{"bad_json", 50}, {"missing_field", 1}}));
  EXPECT_EQ(log.EndBatch(), 46u);
  log.BeginBatch();
  log.Add(1, ingest::RejectReason::kBadJson, "{again", "not JSON");
  EXPECT_EQ(log.batch_counts(), (std::map<std::string, std::int64_t>{{"bad_json", 1}}));
  EXPECT_EQ(log.EndBatch(), 0u);
  ASSERT_TRUE(log.Flush().ok());
  EXPECT_EQ(log.total(), 52u);
  EXPECT_EQ(log.counts().at("bad_json"), 51);
  EXPECT_EQ(log.not_kept(), 46u);
  auto text = PosixFileSystem::Instance().ReadFile(storage::RejectsPath(dir.path(), clock.Now()));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(std::count(text->begin(), text->end(), '\n'), 6);
}

TEST(RejectLogBounds, ADayFileStopsGrowingAtItsLimitAcrossRuns) {
  TempDir dir;
  ManualClock clock(T("2025-03-10T14:00:00Z"));
  const std::string path = storage::RejectsPath(dir.path(), clock.Now());
  constexpr std::uint64_t kDayLimit = 4096;
  {
    storage::RejectLog log(dir.path(), PosixFileSystem::Instance(), clock, "first run", {1000, kDayLimit});
    for (int i = 0; i < 1000; ++i) log.Add(i + 1, ingest::RejectReason::kBadJson, "{oops", "not JSON");
    EXPECT_GT(log.not_kept(), 0u);
    EXPECT_EQ(log.total(), 1000u);
  }
  auto size = PosixFileSystem::Instance().FileSize(path);
  ASSERT_TRUE(size.ok());
  EXPECT_LE(*size, kDayLimit);
  EXPECT_GT(*size, kDayLimit / 2);
  {
    storage::RejectLog again(dir.path(), PosixFileSystem::Instance(), clock, "second run", {1000, kDayLimit});
    for (int i = 0; i < 100; ++i) again.Add(i + 1, ingest::RejectReason::kBadJson, "{oops", "not JSON");
    EXPECT_GT(again.not_kept(), 90u);
  }
  size = PosixFileSystem::Instance().FileSize(path);
  ASSERT_TRUE(size.ok());
  EXPECT_LE(*size, kDayLimit);
  // The next day starts a file of its own.
  clock.Advance(86'400 * kUsPerSecond);
  {
    storage::RejectLog next(dir.path(), PosixFileSystem::Instance(), clock, "next day", {1000, kDayLimit});
    next.Add(1, ingest::RejectReason::kBadJson, "{oops", "not JSON");
    EXPECT_EQ(next.not_kept(), 0u);
  }
  EXPECT_TRUE(PosixFileSystem::Instance().Exists(storage::RejectsPath(dir.path(), clock.Now())));
}

}  // namespace
}  // namespace ibr::testing
