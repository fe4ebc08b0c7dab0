// The daemon's hourly retention pass (issue 12): on a ManualClock, sealed files
// older than IB_STREAM_RETENTION_DAYS are deleted (rows stay, marked) once the
// pass is due, a younger file stays until a later pass, and with an archive
// path the file moves instead. Counted in Status() (for /metrics) and logged.
#include <filesystem>

#include "daemon_test_util.h"

namespace ibr::testing {
namespace {

class WriterServiceRetentionTest : public WriterServiceFixture {
 protected:
  daemon::RecorderConfig RetentionConfig(const std::string& archive) const {
    daemon::RecorderConfig c = Config();
    c.retention.days = {{TickType::kBidAsk, 1}, {TickType::kLast, 0}};
    c.retention.archive_root = archive;
    return c;
  }

  std::string Root() const { return Config().storage_path; }

  std::optional<catalog::TickFileRow> Row(TimeUs hour) {
    auto cat = ReadCatalog();
    auto row = cat->GetTickFile(kAapl, TickType::kBidAsk, hour, 1);
    EXPECT_TRUE(row.ok()) << row.status().ToString();
    return row.ok() ? *row : std::nullopt;
  }

  // Seals bid_ask hours 14:00 and 15:00 of 2025-03-10 (and a `last` hour, kept forever).
  void RecordTwoSealedHours() {
    ASSERT_TRUE(service_->IngestBatch(QuoteLine(kAapl, T("2025-03-10T14:30:00Z"), 229) + "\n" +
                                      TradeLine(kAapl, T("2025-03-10T14:31:00Z"), 229.5))
                    .ok());
    clock_.Set(T("2025-03-10T15:05:10Z"));
    ASSERT_TRUE(service_->WaitForSeals().ok());
    ASSERT_TRUE(service_->IngestBatch(QuoteLine(kAapl, T("2025-03-10T15:30:00Z"), 230)).ok());
    clock_.Set(T("2025-03-10T16:05:10Z"));
    ASSERT_TRUE(service_->WaitForSeals().ok());
    for (TimeUs h : {h14_, h15_}) {
      auto row = Row(h);
      ASSERT_TRUE(row.has_value());
      ASSERT_EQ(row->status, catalog::FileStatus::kSealed);
      ASSERT_TRUE(std::filesystem::exists(Root() + "/" + row->file_path)) << row->file_path;
    }
  }

  const TimeUs h14_ = T("2025-03-10T14:00:00Z");
  const TimeUs h15_ = T("2025-03-10T15:00:00Z");
};

TEST_F(WriterServiceRetentionTest, HourlyPassDeletesExpiredSealedFilesAndKeepsYoungerOnes) {
  StartService(RetentionConfig(""), Options());
  RecordTwoSealedHours();
  const std::string f14 = Row(h14_)->file_path, f15 = Row(h15_)->file_path;

  // A day later, 30 minutes after 14:00's hour ended: only 14:00 is older than one day.
  clock_.Set(T("2025-03-11T15:30:00Z"));
  ASSERT_TRUE(service_->Barrier().ok());
  auto r14 = Row(h14_);
  ASSERT_TRUE(r14.has_value());
  EXPECT_EQ(r14->retention_state, "deleted");
  ASSERT_TRUE(r14->retired_at.has_value());
  EXPECT_EQ(*r14->retired_at, T("2025-03-11T15:30:00Z"));
  EXPECT_FALSE(std::filesystem::exists(Root() + "/" + f14));
  EXPECT_EQ(Row(h15_)->retention_state, "");
  EXPECT_TRUE(std::filesystem::exists(Root() + "/" + f15));
  EXPECT_TRUE(Logged("retention: deleted 1 expired sealed file")) << "the pass logs what it removed";

  // 15:00 has expired by 16:10, but the next pass is due an hour after the last one (16:30).
  clock_.Set(T("2025-03-11T16:10:00Z"));
  ASSERT_TRUE(service_->Barrier().ok());
  EXPECT_EQ(Row(h15_)->retention_state, "");
  EXPECT_TRUE(std::filesystem::exists(Root() + "/" + f15));

  clock_.Set(T("2025-03-11T16:30:00Z"));
  ASSERT_TRUE(service_->Barrier().ok());
  EXPECT_EQ(Row(h15_)->retention_state, "deleted");
  EXPECT_FALSE(std::filesystem::exists(Root() + "/" + f15));

  // `last` files keep forever (0 days); counted for /metrics.
  auto cat = ReadCatalog();
  auto last = cat->GetTickFile(kAapl, TickType::kLast, h14_, 1);
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->retention_state, "");
  EXPECT_TRUE(std::filesystem::exists(Root() + "/" + (*last)->file_path));
  const daemon::RecorderStatus s = service_->Status();
  EXPECT_TRUE(s.retention_enabled);
  EXPECT_EQ(s.retention_files, 2u);
  EXPECT_GT(s.retention_bytes, 0u);
  EXPECT_EQ(s.retention_errors, 0u);
}

TEST_F(WriterServiceRetentionTest, ArchivePathMovesExpiredFilesInsteadOfDeleting) {
  const std::string archive = dir_.path() + "/archive";
  StartService(RetentionConfig(archive), Options());
  RecordTwoSealedHours();
  const std::string f14 = Row(h14_)->file_path, f15 = Row(h15_)->file_path;

  clock_.Set(T("2025-03-11T15:30:00Z"));
  ASSERT_TRUE(service_->Barrier().ok());
  EXPECT_EQ(Row(h14_)->retention_state, "archived");
  EXPECT_FALSE(std::filesystem::exists(Root() + "/" + f14));
  EXPECT_TRUE(std::filesystem::exists(archive + "/" + f14)) << "moved under the same relative path";
  EXPECT_EQ(Row(h15_)->retention_state, "");
  EXPECT_TRUE(std::filesystem::exists(Root() + "/" + f15));
  EXPECT_FALSE(std::filesystem::exists(archive + "/" + f15));
  EXPECT_TRUE(service_->Status().retention_archives);
  EXPECT_EQ(service_->Status().retention_files, 1u);
}

TEST_F(WriterServiceRetentionTest, FirstPassRunsSoonAfterStartUpOnFilesAnEarlierRunSealed) {
  StartService(RetentionConfig(""), Options());
  RecordTwoSealedHours();
  const std::string f14 = Row(h14_)->file_path;
  service_.reset();  // stopped; started again days later

  clock_.Set(T("2025-03-13T09:00:00Z"));
  auto o = Options();
  o.retention_first_delay = 60 * kUsPerSecond;
  StartService(RetentionConfig(""), o);
  ASSERT_TRUE(service_->Barrier().ok());
  EXPECT_EQ(Row(h14_)->retention_state, "") << "not before the first pass is due";
  clock_.Advance(60 * kUsPerSecond);
  ASSERT_TRUE(service_->Barrier().ok());
  EXPECT_EQ(Row(h14_)->retention_state, "deleted");
  EXPECT_EQ(Row(h15_)->retention_state, "deleted");
  EXPECT_FALSE(std::filesystem::exists(Root() + "/" + f14));
}

}  // namespace
}  // namespace ibr::testing
