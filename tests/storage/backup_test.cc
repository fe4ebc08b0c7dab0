// Backup beside a writer that keeps writing, then restore: the copy verifies,
// holds every tick that was durable when it started (and no torn bytes past
// it), and restore refuses non-empty or locked targets and backups that do
// not verify.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "catalog/catalog.h"
#include "storage/backup.h"
#include "storage/restore.h"
#include "storage/store.h"
#include "storage/store_check.h"
#include "storage_test_util.h"

namespace ibr::storage {
namespace {

using namespace ibr::testing;  // Options, Quote, Trade, T, ReadAllTicks, StoreTest, TempDir

class BackupTest : public StoreTest {
 protected:
  BackupTest() : StoreTest(T("2025-03-10T15:30:00Z")) {}  // 15:00 open, 14:00 due for sealing
  void Append(Store& s, std::uint32_t cid, const char* hour, int n, int from_ms) {
    for (int i = 0; i < n; ++i) {
      Tick t = Quote(cid, T(hour) + (from_ms + i) * 1000, 1, 2);
      ASSERT_TRUE(s.writer().Append(t).ok());
    }
  }
  std::vector<StoreProblem> Verify(const std::string& root) {
    auto cat = catalog::Catalog::Open(CatalogPath(root), catalog::Catalog::Mode::kReadOnly, clock_);
    EXPECT_TRUE(cat.ok()) << cat.status().ToString();
    if (!cat.ok()) return {};
    StoreCheckOptions o;
    o.root = root;
    o.report_empty = true;
    auto r = CheckStore(o, PosixFileSystem::Instance(), **cat, clock_);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->problems : std::vector<StoreProblem>{};
  }
  TempDir out_;
};

TEST_F(BackupTest, ACopyTakenBesideAWriterHoldsEveryDurableTickAndVerifies) {
  auto s = OpenStore(Options(dir_.path()), PosixFileSystem::Instance());
  ASSERT_TRUE(s);
  Append(*s, 42, "2025-03-10T14:00:00Z", 50, 0);
  Append(*s, 42, "2025-03-10T15:00:00Z", 30, 0);
  Append(*s, 43, "2025-03-10T15:00:00Z", 20, 0);
  ASSERT_TRUE(s->writer().Flush(true).ok());
  ASSERT_TRUE(s->SealDue().ok());  // 14:00 sealed; 15:00 open
  Append(*s, 42, "2025-03-10T15:00:00Z", 25, 30);
  ASSERT_TRUE(s->writer().Flush(true).ok());
  const std::size_t durable = 50 + 30 + 20 + 25;
  Append(*s, 43, "2025-03-10T15:00:00Z", 7, 20);  // buffered, not yet committed: not in the copy
  // Bytes past what the catalog records (a write in progress): not in the copy.
  { std::ofstream(dir_.path() + "/protobuf/42/bid_ask/2025/03/10/15_ticks.pb", std::ios::app) << "torn"; }

  const std::string copy = out_.path() + "/copy";
  auto r = BackupStore(dir_.path(), copy, PosixFileSystem::Instance(), clock_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->sealed_files, 1u);
  EXPECT_EQ(r->open_files, 2u);
  EXPECT_EQ(r->ticks, durable);
  EXPECT_FALSE(std::filesystem::exists(copy + "/.lock"));
  for (const auto& p : Verify(copy)) ADD_FAILURE() << p.file << ": " << p.what;
  EXPECT_EQ(ReadAllTicks(copy).size(), durable);

  // The writer goes on; restore into a new root: the copy, a session closed at the copy's end.
  Append(*s, 42, "2025-03-10T15:00:00Z", 5, 100);
  ASSERT_TRUE(s->writer().Flush(true).ok());
  const std::string restored = out_.path() + "/restored";
  auto rr = RestoreStore(copy, restored, PosixFileSystem::Instance(), clock_);
  ASSERT_TRUE(rr.ok()) << rr.status().ToString();
  EXPECT_EQ(rr->ticks, durable);
  for (const auto& p : Verify(restored)) ADD_FAILURE() << p.file << ": " << p.what;
  EXPECT_EQ(ReadAllTicks(restored).size(), durable);
  auto cat = catalog::Catalog::Open(CatalogPath(restored), catalog::Catalog::Mode::kReadOnly, clock_);
  ASSERT_TRUE(cat.ok());
  EXPECT_NE((*cat)->generation_id(), s->catalog().generation_id()) << "a restored catalog is a new generation";
  EXPECT_EQ(rr->generation_id, (*cat)->generation_id());
  auto active = (*cat)->ListSessions(catalog::SessionStatus::kActive);
  ASSERT_TRUE(active.ok());
  EXPECT_TRUE(active->empty());
}

TEST_F(BackupTest, RestoreRefusesANonEmptyOrLockedTargetAndABackupThatDoesNotVerify) {
  {
    auto s = OpenStore(Options(dir_.path()), PosixFileSystem::Instance());
    ASSERT_TRUE(s);
    Append(*s, 42, "2025-03-10T15:00:00Z", 10, 0);
    ASSERT_TRUE(s->writer().Flush(true).ok());
  }
  const std::string copy = out_.path() + "/copy";
  ASSERT_TRUE(BackupStore(dir_.path(), copy, PosixFileSystem::Instance(), clock_).ok());
  // Into the live root (locked while a writer has it open):
  {
    auto s = OpenStore(Options(dir_.path()), PosixFileSystem::Instance());
    ASSERT_TRUE(s);
    auto locked = RestoreStore(copy, dir_.path(), PosixFileSystem::Instance(), clock_);
    ASSERT_FALSE(locked.ok());
    // A writer in this process: WriterActive ignores our own pid, so this is the non-empty refusal.
    EXPECT_EQ(locked.status().code(), StatusCode::kFailedPrecondition) << locked.status().ToString();
    EXPECT_NE(locked.status().message().find("is not empty"), std::string::npos);
  }
  // Not a backup:
  auto none = RestoreStore(out_.path() + "/nothing", out_.path() + "/r1", PosixFileSystem::Instance(), clock_);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  // A damaged backup is refused and nothing is created:
  std::filesystem::resize_file(copy + "/protobuf/42/bid_ask/2025/03/10/15_ticks.pb", 3);
  auto bad = RestoreStore(copy, out_.path() + "/r2", PosixFileSystem::Instance(), clock_);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption) << bad.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(out_.path() + "/r2"));
  // A backup target that is not empty is refused:
  auto again = BackupStore(dir_.path(), copy, PosixFileSystem::Instance(), clock_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace ibr::storage
