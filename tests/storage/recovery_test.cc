// Crash recovery through a fault-injecting file system: whatever a power cut
// or a full disk leaves, reopening recovers every durable tick, never returns
// a damaged one, and leaves files and catalog in agreement.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/fault_injecting_file_system.h"
#include "storage/store.h"
#include "storage/store_check.h"
#include "storage_test_util.h"

namespace ibr::storage {
namespace {

using namespace ibr::testing;  // FaultInjectingFileSystem, Options, Quote, T, ReadAllTicks, StoreTest

class RecoveryTest : public StoreTest {
 protected:
  RecoveryTest() : StoreTest(T("2025-03-10T14:30:00Z")) {}
  std::unique_ptr<Store> Open(FileSystem& fs) { return OpenStore(Options(dir_.path()), fs); }
  // Appends n quotes of one contract in one hour; returns their timestamps.
  void AppendQuotes(Store& s, int n, int start_ms) {
    for (int i = 0; i < n; ++i) {
      Tick t = Quote(265598, T("2025-03-10T14:00:00Z") + (start_ms + i) * 1000, 229.95, 229.97);
      ASSERT_TRUE(s.writer().Append(t).ok());
    }
  }
  // After recovery: a read-only check finds nothing to fix.
  void ExpectConsistent() {
    auto cat = catalog::Catalog::Open(CatalogPath(dir_.path()), catalog::Catalog::Mode::kReadOnly, clock_);
    ASSERT_TRUE(cat.ok());
    StoreCheckOptions o;
    o.root = dir_.path();
    auto r = CheckStore(o, PosixFileSystem::Instance(), **cat, clock_);
    ASSERT_TRUE(r.ok());
    for (const auto& p : r->problems) ADD_FAILURE() << p.file << ": " << p.what;
  }
  std::int64_t CatalogTicks(Store& s) {
    auto rows = s.catalog().ListTickFiles();
    std::int64_t n = 0;
    for (const auto& r : *rows) n += r.message_count;
    return n;
  }
};

TEST_F(RecoveryTest, PowerCutDropsOnlyUnsyncedTicks) {
  FaultInjectingFileSystem fs;
  {
    auto s = Open(fs);
    AppendQuotes(*s, 100, 0);
    ASSERT_TRUE(s->writer().Flush(true).ok());  // durable
    AppendQuotes(*s, 50, 100);
    ASSERT_TRUE(s->writer().Flush(false).ok());  // handed to the OS, not synced
    fs.PowerCut(FaultInjectingFileSystem::CutMode::kDropUnsynced);
  }
  auto s = Open(fs);
  auto ticks = ReadAllTicks(dir_.path());
  EXPECT_EQ(ticks.size(), 100u);
  EXPECT_EQ(CatalogTicks(*s), 100);
  s.reset();
  ExpectConsistent();
}

TEST_F(RecoveryTest, PowerCutKeepingARandomPartKeepsWholeTicksOnly) {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    TempDir dir;
    FaultInjectingFileSystem fs(seed);
    StoreOptions o = Options(dir.path());
    {
      auto s = Store::Open(o, fs, clock_);
      ASSERT_TRUE(s.ok());
      AppendQuotes(**s, 30, 0);
      ASSERT_TRUE((*s)->writer().Flush(true).ok());
      AppendQuotes(**s, 30, 30);
      ASSERT_TRUE((*s)->writer().Flush(false).ok());
      fs.PowerCut(FaultInjectingFileSystem::CutMode::kKeepRandomPart);
    }
    auto s = Store::Open(o, fs, clock_);
    ASSERT_TRUE(s.ok());
    auto ticks = ReadAllTicks(dir.path());
    EXPECT_GE(ticks.size(), 30u) << "seed " << seed;
    EXPECT_LE(ticks.size(), 60u);
    for (std::size_t i = 0; i < ticks.size(); ++i) {
      EXPECT_EQ(ticks[i].bid_price, 229.95);  // nothing damaged is returned
      EXPECT_EQ(ticks[i].timestamp_us, T("2025-03-10T14:00:00Z") + static_cast<TimeUs>(i) * 1000);
    }
    auto rows = (*s)->catalog().ListTickFiles();
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].message_count, static_cast<std::int64_t>(ticks.size()));
    // New ticks continue after the recovered ones, with higher sequences.
    Tick t = Quote(265598, T("2025-03-10T14:10:00Z"), 1, 2);
    ASSERT_TRUE((*s)->writer().Append(t).ok());
    EXPECT_GT(t.arrival_seq, ticks.empty() ? 0 : ticks.back().arrival_seq);
  }
}

TEST_F(RecoveryTest, TornLastWriteIsCutOff) {
  FaultInjectingFileSystem fs(7);
  {
    auto s = Open(fs);
    AppendQuotes(*s, 10, 0);
    ASSERT_TRUE(s->writer().Flush(true).ok());
    AppendQuotes(*s, 10, 10);
    ASSERT_TRUE(s->writer().Flush(false).ok());
    fs.PowerCut(FaultInjectingFileSystem::CutMode::kTearLastWrite);
  }
  auto s = Open(fs);
  bool cut = false;
  for (const auto& p : s->recovery().problems) cut = cut || p.repair.find("cut the file") != std::string::npos;
  auto ticks = ReadAllTicks(dir_.path());
  EXPECT_GE(ticks.size(), 10u);
  EXPECT_LT(ticks.size(), 20u);
  EXPECT_TRUE(cut);
  s.reset();
  ExpectConsistent();
}

TEST_F(RecoveryTest, DiskFullLeavesTheFileIntactAndResumesWhenSpaceReturns) {
  FaultInjectingFileSystem fs;
  auto s = Open(fs);
  AppendQuotes(*s, 20, 0);
  ASSERT_TRUE(s->writer().Flush(true).ok());
  fs.FailWritesAfter(100);
  Status failed;
  for (int i = 0; i < 20 && failed.ok(); ++i) {
    Tick t = Quote(265598, T("2025-03-10T14:01:00Z") + i, 1, 2);
    failed = s->writer().Append(t);
    if (failed.ok()) failed = s->writer().Flush(true).status();
  }
  EXPECT_EQ(failed.code(), StatusCode::kDiskFull) << failed.ToString();
  // The file holds whole frames only: every tick decodes.
  auto mid = ReadAllTicks(dir_.path());
  EXPECT_GE(mid.size(), 20u);
  fs.StopFailingWrites();
  Tick t = Quote(265598, T("2025-03-10T14:02:00Z"), 5, 6);
  ASSERT_TRUE(s->writer().Append(t).ok());
  ASSERT_TRUE(s->writer().Flush(true).ok());
  auto after = ReadAllTicks(dir_.path());
  EXPECT_EQ(after.back().bid_price, 5);
  EXPECT_EQ(CatalogTicks(*s), static_cast<std::int64_t>(after.size()));
  s.reset();
  ExpectConsistent();
}

TEST_F(RecoveryTest, FsyncFailureIsReportedNotIgnored) {
  FaultInjectingFileSystem fs;
  auto s = Open(fs);
  AppendQuotes(*s, 5, 0);
  fs.FailSyncs(true);
  Status st = s->writer().Flush(true).status();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("fdatasync"), std::string::npos);
}

TEST_F(RecoveryTest, InterruptedSealIsFinished) {
  auto& fs = PosixFileSystem::Instance();
  {
    auto s = Open(fs);
    AppendQuotes(*s, 10, 0);
    clock_.Set(T("2025-03-10T16:00:00Z"));
    ASSERT_TRUE(s->SealDue().ok());
  }
  // Put back an open file beside the sealed one, as a crash between rename and remove leaves it.
  std::string base = dir_.path() + "/protobuf/265598/bid_ask/2025/03/10/14_ticks.pb";
  {
    std::ofstream f(base, std::ios::binary);
    f << "stale";
  }
  auto s = Open(fs);
  EXPECT_FALSE(std::filesystem::exists(base));
  EXPECT_TRUE(std::filesystem::exists(base + ".lz4"));
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 10u);
}

TEST_F(RecoveryTest, LeftoverTempFilesAreRemovedAndMissingFilesLeaveTheCatalog) {
  auto& fs = PosixFileSystem::Instance();
  {
    auto s = Open(fs);
    AppendQuotes(*s, 3, 0);
    Tick other = Quote(42, T("2025-03-10T14:00:00Z"), 1, 2);
    ASSERT_TRUE(s->writer().Append(other).ok());
    ASSERT_TRUE(s->writer().Flush(true).ok());
  }
  std::string dir = dir_.path() + "/protobuf/265598/bid_ask/2025/03/10/";
  { std::ofstream(dir + "14_ticks.pb.lz4.tmp.1.0") << "partial"; }
  std::filesystem::remove(dir_.path() + "/protobuf/42/bid_ask/2025/03/10/14_ticks.pb");
  auto s = Open(fs);
  EXPECT_FALSE(std::filesystem::exists(dir + "14_ticks.pb.lz4.tmp.1.0"));
  auto rows = s->catalog().ListTickFiles();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].contract_id, 265598u);
  s.reset();
  ExpectConsistent();
}

TEST_F(RecoveryTest, GarbageAfterTheLastFrameIsCut) {
  auto& fs = PosixFileSystem::Instance();
  {
    auto s = Open(fs);
    AppendQuotes(*s, 5, 0);
    ASSERT_TRUE(s->writer().Flush(true).ok());
  }
  std::string path = dir_.path() + "/protobuf/265598/bid_ask/2025/03/10/14_ticks.pb";
  auto before = std::filesystem::file_size(path);
  { std::ofstream(path, std::ios::app | std::ios::binary) << std::string("\x00\x00\x00\x10garbage-garbage!", 20); }
  {
    // verify (read-only) reports it and exits "problems found".
    auto cat = catalog::Catalog::Open(CatalogPath(dir_.path()), catalog::Catalog::Mode::kReadOnly, clock_);
    ASSERT_TRUE(cat.ok());
    StoreCheckOptions o;
    o.root = dir_.path();
    auto r = CheckStore(o, fs, **cat, clock_);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->problems.size(), 1u);
    EXPECT_EQ(std::filesystem::file_size(path), before + 20);  // check mode changed nothing
  }
  auto s = Open(fs);
  EXPECT_EQ(std::filesystem::file_size(path), before);
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 5u);
}

TEST_F(RecoveryTest, SessionLeftActiveIsClosedAsFailedAtTheLastDurableTick) {
  auto& fs = PosixFileSystem::Instance();
  std::int64_t id = 0;
  {
    auto s = Open(fs);
    catalog::SessionRow row;
    row.server_instance_id = s->instance().id;
    row.session_start = T("2025-03-10T14:00:00Z");
    auto r = s->catalog().InsertSession(row);
    ASSERT_TRUE(r.ok());
    id = *r;
    AppendQuotes(*s, 5, 0);
    ASSERT_TRUE(s->writer().Flush(true).ok());
  }
  auto s = Open(fs);
  auto got = s->catalog().GetSession(id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->status, catalog::SessionStatus::kFailed);
  ASSERT_TRUE((*got)->session_end.has_value());
  EXPECT_EQ(*(*got)->session_end, T("2025-03-10T14:00:00Z") + 4 * 1000);
}

}  // namespace
}  // namespace ibr::storage
