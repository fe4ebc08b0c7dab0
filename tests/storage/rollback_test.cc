// PartitionWriter's all-or-nothing group commit, through the fault-injecting
// file system: when one file's write or fdatasync fails, every file is cut
// back to its catalog row, so the store holds exactly what was committed.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/fault_injecting_file_system.h"
#include "storage/store.h"
#include "storage/store_check.h"
#include "storage_test_util.h"

namespace ibr::storage {
namespace {

using namespace ibr::testing;  // FaultInjectingFileSystem, Options, Quote, Trade, T, ReadAllTicks, StoreTest

class RollbackTest : public StoreTest {
 protected:
  RollbackTest() : StoreTest(T("2025-03-10T14:30:00Z")) {}
  // n quotes of AAPL and n trades of MNQ from second `from`: two files.
  static void AppendBoth(Store& s, int n, int from) {
    for (int i = from; i < from + n; ++i) {
      Tick q = Quote(265598, T("2025-03-10T14:00:00Z") + i * kUsPerSecond, 229.95, 229.97);
      ASSERT_TRUE(s.writer().Append(q).ok());
      Tick t = Trade(711280073, T("2025-03-10T14:00:00Z") + i * kUsPerSecond, 23260, 1);
      ASSERT_TRUE(s.writer().Append(t).ok());
    }
  }
  void ExpectFilesMatchTheCatalog(Store& s) {
    auto rows = s.catalog().ListTickFiles();
    ASSERT_TRUE(rows.ok());
    for (const auto& r : *rows) {
      EXPECT_EQ(static_cast<std::uintmax_t>(r.file_size_bytes), std::filesystem::file_size(dir_.path() + "/" + r.file_path))
          << r.file_path;
    }
    auto check = CheckStore(StoreCheckOptions{dir_.path(), "test-instance", false, false}, PosixFileSystem::Instance(),
                            s.catalog(), clock_);
    ASSERT_TRUE(check.ok());
    for (const auto& p : check->problems) ADD_FAILURE() << p.file << ": " << p.what;
  }
  static std::int64_t Lost(Store& s) {
    std::int64_t n = 0;
    for (const auto& l : s.writer().TakeLostTicks()) n += l.ticks;
    return n;
  }
};

TEST_F(RollbackTest, EnospcOnTheSecondFileCutsTheFirstBackToItsCatalogRow) {
  FaultInjectingFileSystem fs;
  auto s = OpenStore(Options(dir_.path()), fs);
  AppendBoth(*s, 5, 0);
  ASSERT_TRUE(s->writer().Flush(true).ok());
  AppendBoth(*s, 20, 5);
  fs.FailWritesAfter(3000);  // one file's 20 frames fit, the other's do not
  Status st = s->writer().Flush(true).status();
  EXPECT_EQ(st.code(), StatusCode::kDiskFull) << st.ToString();
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 10u);
  EXPECT_EQ(Lost(*s), 40);
  EXPECT_TRUE(s->writer().unflushed().empty());
  ExpectFilesMatchTheCatalog(*s);

  fs.StopFailingWrites();
  AppendBoth(*s, 1, 30);
  ASSERT_TRUE(s->writer().Flush(true).ok());
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 12u);
  ExpectFilesMatchTheCatalog(*s);
}

TEST_F(RollbackTest, FailedFdatasyncCutsEveryFileBack) {
  FaultInjectingFileSystem fs;
  auto s = OpenStore(Options(dir_.path()), fs);
  AppendBoth(*s, 3, 0);
  ASSERT_TRUE(s->writer().Flush(true).ok());
  AppendBoth(*s, 3, 3);
  fs.FailSyncs(true);
  EXPECT_FALSE(s->writer().Flush(true).ok());
  fs.FailSyncs(false);
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 6u);
  EXPECT_EQ(Lost(*s), 6);
  ExpectFilesMatchTheCatalog(*s);
}

TEST_F(RollbackTest, ANewFileOfAFailedCommitIsCutToItsHeaderAndCommittedLater) {
  FaultInjectingFileSystem fs;
  auto s = OpenStore(Options(dir_.path()), fs);
  AppendBoth(*s, 2, 0);
  ASSERT_TRUE(s->writer().Flush(true).ok());
  Tick late = Quote(265598, T("2025-03-10T15:00:00Z"), 1, 2);  // a new hour: a new file
  ASSERT_TRUE(s->writer().Append(late).ok());
  AppendBoth(*s, 20, 2);
  fs.FailWritesAfter(1000);
  EXPECT_FALSE(s->writer().Flush(true).ok());
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 4u);
  fs.StopFailingWrites();
  Tick again = Quote(265598, T("2025-03-10T15:00:01Z"), 3, 4);
  ASSERT_TRUE(s->writer().Append(again).ok());
  ASSERT_TRUE(s->writer().Flush(true).ok());
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 5u);
  ExpectFilesMatchTheCatalog(*s);
}

TEST_F(RollbackTest, ABufferWriteThatFailsDuringAppendRollsBackTheOtherFilesToo) {
  FaultInjectingFileSystem fs;
  auto s = OpenStore(Options(dir_.path()), fs);
  AppendBoth(*s, 1, 0);
  ASSERT_TRUE(s->writer().Flush(true).ok());
  for (int i = 0; i < 5; ++i) {
    Tick t = Trade(711280073, T("2025-03-10T14:10:00Z") + i, 23260, 1);
    ASSERT_TRUE(s->writer().Append(t).ok());
  }
  fs.FailWritesAfter(0);
  // Enough quotes to fill one file's 256 KiB buffer: its write fails inside Append.
  Status st;
  for (int i = 0; i < 5000 && st.ok(); ++i) {
    Tick q = Quote(265598, T("2025-03-10T14:20:00Z") + i, 229.95, 229.97);
    st = s->writer().Append(q);
  }
  EXPECT_EQ(st.code(), StatusCode::kDiskFull);
  fs.StopFailingWrites();
  ASSERT_TRUE(s->writer().Flush(true).ok());
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 2u);  // the trades buffered before went too
  ExpectFilesMatchTheCatalog(*s);
}

}  // namespace
}  // namespace ibr::storage
