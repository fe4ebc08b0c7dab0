// Empty files, orphan files and orphan catalog rows: verify reports each as its
// own kind, repair removes empty files (and their rows), adopts orphan files
// into the catalog as rebuild-catalog would, and drops rows whose file is gone.
// Recovery at a writer's open leaves empty files alone.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "storage/store.h"
#include "storage/store_check.h"
#include "storage_test_util.h"

namespace ibr::storage {
namespace {

using namespace ibr::testing;  // Options, Quote, T, StoreTest

class OrphanFilesTest : public StoreTest {
 protected:
  OrphanFilesTest() : StoreTest(T("2025-03-10T14:30:00Z")) {}  // 14:00 is the open hour
  std::string Dir(std::uint32_t cid) const { return dir_.path() + "/protobuf/" + std::to_string(cid) + "/bid_ask/2025/03/10/"; }
  // Three contracts, each with one open 14:00 file of `n` quotes.
  void Write(int n) {
    auto s = OpenStore(Options(dir_.path()), PosixFileSystem::Instance());
    ASSERT_TRUE(s);
    for (std::uint32_t cid : {42u, 43u, 44u}) {
      for (int i = 0; i < n; ++i) {
        Tick t = Quote(cid, T("2025-03-10T14:00:00Z") + i * 1000, 1, 2);
        ASSERT_TRUE(s->writer().Append(t).ok());
      }
    }
    ASSERT_TRUE(s->writer().Flush(true).ok());
  }
  Result<StoreCheckReport> Check(bool repair) {
    auto cat = catalog::Catalog::Open(CatalogPath(dir_.path()),
                                      repair ? catalog::Catalog::Mode::kReadWrite : catalog::Catalog::Mode::kReadOnly, clock_);
    if (!cat.ok()) return cat.status();
    StoreCheckOptions o;
    o.root = dir_.path();
    o.repair = repair;
    o.report_empty = true;
    return CheckStore(o, PosixFileSystem::Instance(), **cat, clock_);
  }
  void DropRow(std::uint32_t cid) {
    auto cat = catalog::Catalog::Open(CatalogPath(dir_.path()), catalog::Catalog::Mode::kReadWrite, clock_);
    ASSERT_TRUE(cat.ok());
    ASSERT_TRUE((*cat)->DeleteTickFile(cid, TickType::kBidAsk, T("2025-03-10T14:00:00Z"), 1).ok());
  }
  // Cuts an open file down to its header frame: a file without a tick.
  void CutToHeader(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    unsigned char len[4];
    in.read(reinterpret_cast<char*>(len), 4);
    std::uint64_t n = (std::uint64_t{len[0]} << 24) | (len[1] << 16) | (len[2] << 8) | len[3];
    in.close();
    std::filesystem::resize_file(path, 4 + n);
  }
};

std::size_t CountKind(const StoreCheckReport& r, ProblemKind k) {
  std::size_t n = 0;
  for (const auto& p : r.problems) n += p.kind == k;
  return n;
}

TEST_F(OrphanFilesTest, EachKindIsReportedAndRepaired) {
  Write(5);
  DropRow(42);                                        // orphan file: on disk, no row
  std::filesystem::remove(Dir(43) + "14_ticks.pb");  // orphan row: row, no file
  CutToHeader(Dir(44) + "14_ticks.pb");               // empty file (with a row)
  std::filesystem::create_directories(dir_.path() + "/protobuf/45/last/2025/03/10");
  std::ofstream(dir_.path() + "/protobuf/45/last/2025/03/10/13_ticks.pb");  // empty file (0 bytes, no row)

  auto r = Check(false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->orphan_files, 1u);
  EXPECT_EQ(r->orphan_rows, 1u);
  EXPECT_EQ(r->empty_files, 2u);
  EXPECT_EQ(CountKind(*r, ProblemKind::kOrphanFile), 1u);
  EXPECT_EQ(CountKind(*r, ProblemKind::kOrphanRow), 1u);
  for (const auto& p : r->problems) {
    if (p.kind == ProblemKind::kOrphanFile) {
      EXPECT_NE(p.repair.find("adopt"), std::string::npos) << p.repair;
    }
  }
  EXPECT_TRUE(std::filesystem::exists(Dir(44) + "14_ticks.pb")) << "check mode changed nothing";

  auto fixed = Check(true);
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(Dir(44) + "14_ticks.pb"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/protobuf/45/last/2025/03/10/13_ticks.pb"));
  EXPECT_TRUE(std::filesystem::exists(Dir(42) + "14_ticks.pb")) << "an orphan with ticks is adopted, not removed";

  auto again = Check(false);
  ASSERT_TRUE(again.ok());
  for (const auto& p : again->problems) ADD_FAILURE() << p.file << ": " << p.what;

  auto cat = catalog::Catalog::Open(CatalogPath(dir_.path()), catalog::Catalog::Mode::kReadOnly, clock_);
  ASSERT_TRUE(cat.ok());
  auto rows = (*cat)->ListTickFiles();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].contract_id, 42u);
  EXPECT_EQ((*rows)[0].message_count, 5);
  auto stats = (*cat)->ListDailyStats(42u);
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(stats->size(), 1u);
  EXPECT_EQ((*stats)[0].total_messages, 5);
  auto contracts = (*cat)->ListContracts();
  ASSERT_TRUE(contracts.ok());
  bool found = false;
  for (const auto& c : *contracts) found |= c.contract_id == 42u;
  EXPECT_TRUE(found) << "the adopted file's contract is in the catalog";
}

TEST_F(OrphanFilesTest, AWritersRecoveryLeavesAnEmptyFileAlone) {
  Write(3);
  CutToHeader(Dir(44) + "14_ticks.pb");
  auto s = OpenStore(Options(dir_.path()), PosixFileSystem::Instance());
  ASSERT_TRUE(s);
  for (const auto& p : s->recovery().problems) EXPECT_NE(p.kind, ProblemKind::kEmptyFile) << p.file;
  EXPECT_TRUE(std::filesystem::exists(Dir(44) + "14_ticks.pb"));
}

TEST_F(OrphanFilesTest, NothingIsAnOrphanInAConsistentStore) {
  Write(2);
  auto r = Check(false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->empty_files + r->orphan_files + r->orphan_rows, 0u);
  EXPECT_TRUE(r->problems.empty());
}

}  // namespace
}  // namespace ibr::storage
