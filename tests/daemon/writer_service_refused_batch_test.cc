// A POST /v2/ingest batch that cannot be made durable leaves nothing behind:
// the files it touched are cut back to their catalog rows (ENOSPC on one file
// after another was written and synced, or a failed fdatasync), so a client
// that resends it as told stores it exactly once.
#include <filesystem>
#include <set>
#include <tuple>

#include "daemon_test_util.h"

namespace ibr::testing {
namespace {

class RefusedBatchTest : public WriterServiceFixture {
 protected:
  // The batch: quotes of AAPL and trades of MNQ, so it touches two files.
  std::string TwoFileBatch(TimeUs t0, int n) {
    std::string body;
    for (int i = 0; i < n; ++i) body += QuoteLine(kAapl, t0 + 1000 + i, 230 + i, static_cast<std::uint64_t>(i + 1)) + "\n";
    for (int i = 0; i < n; ++i) body += TradeLine(kMnq, t0 + 1000 + i, 23000 + i) + "\n";
    return body;
  }
  void ExpectNoDuplicates(const std::vector<Tick>& ticks) {
    std::set<std::tuple<std::uint32_t, TickType, TimeUs>> seen;
    for (const Tick& t : ticks) {
      EXPECT_TRUE(seen.insert({t.contract_id, t.tick_type, t.timestamp_us}).second)
          << "duplicate " << t.contract_id << " at " << t.timestamp_us;
    }
  }
  void Resume() {
    fs_.StopFailingWrites();
    fs_.FailSyncs(false);
    AdvanceAndSync(kUsPerSecond);  // disk check + probe flush
    ASSERT_FALSE(service_->Status().disk_full) << service_->Status().last_error;
  }
};

TEST_F(RefusedBatchTest, EnospcOnTheSecondFileLeavesNothingOfTheBatchInTheFirst) {
  StartService();
  const TimeUs t0 = clock_.Now();
  ASSERT_TRUE(service_->IngestBatch(QuoteLine(kAapl, t0, 229)).ok());
  const std::string batch = TwoFileBatch(t0, 20);
  // Room for one file's group-commit write (~20 frames), not for the second.
  fs_.FailWritesAfter(3000);
  auto refused = service_->IngestBatch(batch);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kDiskFull) << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("nothing of it was kept"), std::string::npos);
  // Nothing of it is in the files, and the catalog says the same.
  EXPECT_EQ(ReadAllTicks(Config().storage_path).size(), 1u);
  auto cat = ReadCatalog();
  auto rows = cat->ListTickFiles();
  ASSERT_TRUE(rows.ok());
  for (const auto& r : *rows) {
    EXPECT_EQ(static_cast<std::uintmax_t>(r.file_size_bytes),
              std::filesystem::file_size(Config().storage_path + "/" + r.file_path))
        << r.file_path;
  }
  EXPECT_EQ(service_->Status().ticks_stored, 1u);

  Resume();
  auto again = service_->IngestBatch(batch);  // the client resends, as told
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->accepted, 40);
  service_->Stop("test done");
  const auto ticks = ReadAllTicks(Config().storage_path);
  EXPECT_EQ(ticks.size(), 41u);
  ExpectNoDuplicates(ticks);
  EXPECT_EQ(Session(service_->session_id()).total_messages_collected, 41);
}

TEST_F(RefusedBatchTest, FailedFdatasyncLeavesNothingOfTheBatch) {
  StartService();
  const TimeUs t0 = clock_.Now();
  ASSERT_TRUE(service_->IngestBatch(QuoteLine(kAapl, t0, 229)).ok());
  fs_.FailSyncs(true);
  auto refused = service_->IngestBatch(TwoFileBatch(t0, 5));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(ReadAllTicks(Config().storage_path).size(), 1u);
  Resume();
  ASSERT_TRUE(service_->IngestBatch(TwoFileBatch(t0, 5)).ok());
  service_->Stop("test done");
  const auto ticks = ReadAllTicks(Config().storage_path);
  EXPECT_EQ(ticks.size(), 11u);
  ExpectNoDuplicates(ticks);
}

TEST_F(RefusedBatchTest, LiveTicksBufferedBeforeABatchAreCommittedOnTheirOwn) {
  StartService();
  const TimeUs t0 = clock_.Now();
  for (int i = 0; i < 3; ++i) Submit(QuoteLine(kAapl, t0 + i, 229));
  ASSERT_TRUE(service_->Barrier().ok());  // buffered, not yet flushed
  fs_.FailWritesAfter(-1);
  auto ack = service_->IngestBatch(TwoFileBatch(t0, 2));
  ASSERT_TRUE(ack.ok()) << ack.status().ToString();
  service_->Stop("test done");
  EXPECT_EQ(ReadAllTicks(Config().storage_path).size(), 7u);
}

}  // namespace
}  // namespace ibr::testing
