// Retention on an injected clock across a UTC day boundary: a sealed hour goes
// once it ended `days` x 24 h ago, not a moment before; per tick type; never
// the open hour; archived files keep their relative path; rows stay, marked
// with the time; queries' file lookups and verify skip them; a dry run changes nothing.
#include <gtest/gtest.h>

#include <filesystem>

#include "storage/retention.h"
#include "storage/store.h"
#include "storage/store_check.h"
#include "storage_test_util.h"

namespace ibr::storage {
namespace {

using namespace ibr::testing;  // Options, Quote, Trade, T, StoreTest, TempDir

class RetentionTest : public StoreTest {
 protected:
  RetentionTest() : StoreTest(T("2025-03-09T23:30:00Z")) {}
  // Sealed 2025-03-08 23:00 and 2025-03-09 00:00 hours of quotes and trades; the 23:00 hour of the 9th open.
  std::unique_ptr<Store> Fill() {
    auto s = OpenStore(Options(dir_.path()), PosixFileSystem::Instance());
    for (const char* hour : {"2025-03-08T23:00:00Z", "2025-03-09T00:00:00Z", "2025-03-09T23:00:00Z"}) {
      for (int i = 0; i < 5; ++i) {
        Tick q = Quote(42, T(hour) + i * 1000, 1, 2);
        Tick t = Trade(42, T(hour) + i * 1000, 1.5, 1);
        EXPECT_TRUE(s->writer().Append(q).ok());
        EXPECT_TRUE(s->writer().Append(t).ok());
      }
    }
    EXPECT_TRUE(s->writer().Flush(true).ok());
    EXPECT_TRUE(s->SealHoursEndingBy(T("2025-03-09T01:00:00Z")).ok());
    return s;
  }
  std::string Rel(const char* type, const char* day, const char* hh) const {
    return std::string("protobuf/42/") + type + "/2025/03/" + day + "/" + hh + "_ticks.pb.lz4";
  }
  bool OnDisk(const std::string& rel) const { return std::filesystem::exists(dir_.path() + "/" + rel); }
  RetentionPolicy Policy(const std::string& archive = "") const {
    RetentionPolicy p;
    p.days[TickType::kBidAsk] = 1;
    p.days[TickType::kLast] = 0;  // keep forever
    p.archive_root = archive;
    return p;
  }
  TempDir archive_;
};

TEST_F(RetentionTest, AHourGoesOnceItEndedTheRetentionAgoAcrossMidnight) {
  auto s = Fill();
  ASSERT_TRUE(s);
  clock_.Set(T("2025-03-09T23:59:59.999999Z"));  // the 8th's 23:00 hour ended 1 day ago minus 1 us: stays
  auto r = ApplyRetention(Policy(), dir_.path(), PosixFileSystem::Instance(), s->catalog(), clock_, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Total().files, 0u);
  EXPECT_TRUE(OnDisk(Rel("bid_ask", "08", "23")));

  clock_.Set(T("2025-03-10T00:00:00Z"));  // exactly one day after it ended: it goes; the 9th's 00:00 stays
  auto dry = ApplyRetention(Policy(), dir_.path(), PosixFileSystem::Instance(), s->catalog(), clock_, true);
  ASSERT_TRUE(dry.ok());
  EXPECT_EQ(dry->Total().files, 1u);
  EXPECT_TRUE(OnDisk(Rel("bid_ask", "08", "23"))) << "a dry run removes nothing";
  r = ApplyRetention(Policy(), dir_.path(), PosixFileSystem::Instance(), s->catalog(), clock_, false);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->Total().files, 1u);
  EXPECT_EQ(r->by_type[TickType::kBidAsk].files, 1u);
  EXPECT_GT(r->by_type[TickType::kBidAsk].bytes, 0u);
  EXPECT_FALSE(OnDisk(Rel("bid_ask", "08", "23")));
  EXPECT_TRUE(OnDisk(Rel("bid_ask", "09", "00")));
  EXPECT_TRUE(OnDisk(Rel("last", "08", "23"))) << "last is kept forever";

  // The row stays, marked with the time; file lookups and verify no longer see it.
  auto retired = s->catalog().ListRetiredTickFiles();
  ASSERT_TRUE(retired.ok());
  ASSERT_EQ(retired->size(), 1u);
  EXPECT_EQ((*retired)[0].retention_state, "deleted");
  EXPECT_EQ((*retired)[0].retired_at, T("2025-03-10T00:00:00Z"));
  auto found = s->catalog().FindFiles(42, TickType::kBidAsk, T("2025-03-08T00:00:00Z"), T("2025-03-11T00:00:00Z"));
  ASSERT_TRUE(found.ok());
  for (const auto& f : *found) EXPECT_NE(f.file_path, Rel("bid_ask", "08", "23"));
  StoreCheckOptions o;
  o.root = dir_.path();
  o.report_empty = true;
  o.writer_active = true;
  auto check = CheckStore(o, PosixFileSystem::Instance(), s->catalog(), clock_);
  ASSERT_TRUE(check.ok());
  for (const auto& p : check->problems) ADD_FAILURE() << p.file << ": " << p.what;

  clock_.Set(T("2025-03-10T01:00:00Z"));  // the next hour's turn; the open hour never goes
  r = ApplyRetention(Policy(), dir_.path(), PosixFileSystem::Instance(), s->catalog(), clock_, false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Total().files, 1u);
  EXPECT_FALSE(OnDisk(Rel("bid_ask", "09", "00")));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() + "/protobuf/42/bid_ask/2025/03/09/23_ticks.pb"));
}

TEST_F(RetentionTest, ArchivedFilesKeepTheirRelativePath) {
  auto s = Fill();
  ASSERT_TRUE(s);
  clock_.Set(T("2025-03-10T01:00:00Z"));
  auto r = ApplyRetention(Policy(archive_.path()), dir_.path(), PosixFileSystem::Instance(), s->catalog(), clock_, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->archived);
  EXPECT_EQ(r->Total().files, 2u);
  for (const char* hh : {"23", "00"}) {
    const std::string rel = Rel("bid_ask", hh[0] == '2' ? "08" : "09", hh);
    EXPECT_FALSE(OnDisk(rel));
    EXPECT_TRUE(std::filesystem::exists(archive_.path() + "/" + rel)) << rel;
  }
  auto retired = s->catalog().ListRetiredTickFiles();
  ASSERT_TRUE(retired.ok());
  ASSERT_EQ(retired->size(), 2u);
  for (const auto& f : *retired) EXPECT_EQ(f.retention_state, "archived");
}

}  // namespace
}  // namespace ibr::storage
