// PartitionWriter::Flush says what it made durable (issue 14): per contract ticks and bytes,
// whether a catalog transaction committed and whether it synced; nothing pending -> nothing
// committed; a failed flush reports an error and the next one carries none of the lost ticks.
#include <gtest/gtest.h>

#include "storage/store.h"
#include "storage_test_util.h"
#include "support/fault_injecting_file_system.h"

namespace ibr::storage {
namespace {

using namespace ibr::testing;  // Options, Quote, Trade, T, StoreTest

class FlushReportTest : public StoreTest {
 protected:
  FlushReportTest() : StoreTest(T("2025-03-10T15:00:00Z")) {}
};

TEST_F(FlushReportTest, ReportsThePerContractTicksItMadeDurable) {
  auto store = OpenStore(Options(dir_.path()), PosixFileSystem::Instance());
  for (int i = 0; i < 3; ++i) {
    Tick t = Quote(265598, T("2025-03-10T14:00:00Z") + i, 229.95, 229.97);
    ASSERT_TRUE(store->writer().Append(t).ok());
  }
  Tick tr = Trade(711280073, T("2025-03-10T14:10:00Z"), 23260.0, 1);
  ASSERT_TRUE(store->writer().Append(tr).ok());
  auto r = store->writer().Flush(true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->committed);
  EXPECT_TRUE(r->synced);
  EXPECT_EQ(r->ticks, 4);
  ASSERT_EQ(r->durable.size(), 2u);
  EXPECT_EQ(r->durable.at(265598).ticks, 3);
  EXPECT_GT(r->durable.at(265598).bytes, 0);
  EXPECT_EQ(r->durable.at(711280073).ticks, 1);
  EXPECT_TRUE(store->writer().unflushed().empty());

  auto again = store->writer().Flush(false);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->committed);  // nothing pending, no extra: no transaction at all
  EXPECT_EQ(again->ticks, 0);
  EXPECT_TRUE(again->durable.empty());

  bool ran = false;
  auto with_extra = store->writer().Flush(true, [&](catalog::Catalog&) {
    ran = true;
    return Status::Ok();
  });
  ASSERT_TRUE(with_extra.ok());
  EXPECT_TRUE(ran);
  EXPECT_TRUE(with_extra->committed);  // the extra rows committed, no ticks
  EXPECT_EQ(with_extra->ticks, 0);
}

TEST_F(FlushReportTest, AFailedFlushReportsNothingDurableAndTheNextCarriesNoLostTick) {
  FaultInjectingFileSystem fs;
  auto store = OpenStore(Options(dir_.path()), fs);
  Tick a = Quote(265598, T("2025-03-10T14:00:00Z"), 229.95, 229.97);
  ASSERT_TRUE(store->writer().Append(a).ok());
  fs.FailSyncs(true);
  auto failed = store->writer().Flush(true);
  EXPECT_FALSE(failed.ok());
  fs.FailSyncs(false);
  Tick b = Quote(265598, T("2025-03-10T14:00:01Z"), 229.96, 229.98);
  ASSERT_TRUE(store->writer().Append(b).ok());
  auto next = store->writer().Flush(true);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->ticks, 1);  // only b: a was rolled back with the failed flush
  EXPECT_EQ(next->durable.at(265598).ticks, 1);
}

}  // namespace
}  // namespace ibr::storage
