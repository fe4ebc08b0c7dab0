// Sealing beside parsing (issue 14, "both cores"): `ingest` hands the hours its input has
// passed to SealPool workers while it reads on, and seals the rest on them at the end; every
// file is sealed exactly once (none left open, none sealed twice), every tick is stored once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <set>
#include <string>

#include "common/time_text.h"
#include "storage/batch_ingest.h"
#include "storage/seal_pool.h"
#include "storage/store.h"
#include "storage_test_util.h"

namespace ibr::storage {
namespace {

using namespace ibr::testing;  // Options, T, StoreTest, ReadAllTicks

// One bid_ask tick line of `cid` at `ts`.
std::string PoolQuoteLine(std::uint32_t cid, TimeUs ts) {
  return R"({"type":"tick","timestamp":")" + FormatIsoTimestamp(ts) + R"(","data":{"contract_id":)" +
         std::to_string(cid) + R"(,"tick_type":"bid_ask","bid_price":1.5,"bid_size":3.0,"ask_price":1.75,"ask_size":4.0}})" +
         "\n";
}

class SealPoolTest : public StoreTest {
 protected:
  SealPoolTest() : StoreTest(T("2025-03-10T20:00:00Z")) {}
};

TEST(SealPoolWorkers, ZeroMeansOnePerCore) {
  EXPECT_EQ(WorkerCount(3), 3);
  EXPECT_GE(WorkerCount(0), 1);
}

TEST_F(SealPoolTest, HoursTheInputPassedAreSealedWhileReadingAndEveryFileOnce) {
  StoreOptions so = Options(dir_.path());
  so.workers = 2;
  auto store = OpenStore(so, PosixFileSystem::Instance());
  ASSERT_NE(store, nullptr);
  // Four hours, two contracts, in time order.
  std::string input;
  for (int h = 0; h < 4; ++h) {
    for (int i = 0; i < 30; ++i) {
      const TimeUs ts = T("2025-03-10T14:00:00Z") + h * kUsPerHour + i * kUsPerSecond;
      input += PoolQuoteLine(265598, ts) + PoolQuoteLine(711280073, ts);
    }
  }
  const std::string path = dir_.path() + "/input.ndjson";
  ASSERT_TRUE(PosixFileSystem::Instance().OpenTruncate(path).value()->Append(input).ok());
  FILE* f = std::fopen(path.c_str(), "r");
  ASSERT_NE(f, nullptr);
  BatchIngestOptions o;
  o.check_every_ticks = 10;
  auto sum = IngestFromFd(*store, fileno(f), o);
  std::fclose(f);
  ASSERT_TRUE(sum.ok()) << sum.status().ToString();
  EXPECT_EQ(sum->accepted, 240);
  EXPECT_TRUE(sum->store_error.empty()) << sum->store_error;
  // 14:00 and 15:00 were passed by more than an hour before the input ended.
  EXPECT_EQ(sum->sealed_while_reading, 4);
  EXPECT_EQ(sum->seal.sealed, 8);  // 4 hours x 2 contracts, each once
  EXPECT_TRUE(sum->seal.errors.empty());
  auto open_rows = store->catalog().ListTickFiles(catalog::FileStatus::kOpen);
  ASSERT_TRUE(open_rows.ok());
  EXPECT_TRUE(open_rows->empty());
  auto sealed_rows = store->catalog().ListTickFiles(catalog::FileStatus::kSealed);
  ASSERT_TRUE(sealed_rows.ok());
  EXPECT_EQ(sealed_rows->size(), 8u);
  auto ticks = ReadAllTicks(dir_.path());
  ASSERT_EQ(ticks.size(), 240u);
  std::set<std::uint64_t> seqs;
  for (const Tick& t : ticks) EXPECT_TRUE(seqs.insert(t.arrival_seq).second);
}

}  // namespace
}  // namespace ibr::storage
