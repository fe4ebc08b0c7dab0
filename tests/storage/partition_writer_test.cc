// PartitionWriter + Sealer through Store: hour/day/size rollover, late ticks,
// arrival sequence, sealing.
#include <gtest/gtest.h>

#include <filesystem>

#include "format/lz4_frame.h"
#include "storage/store.h"
#include "storage_test_util.h"

namespace ibr::storage {
namespace {

using namespace ibr::testing;  // Options, Quote, Trade, T, ReadAllTicks, StoreTest

class PartitionWriterTest : public StoreTest {
 protected:
  PartitionWriterTest() : StoreTest(T("2025-03-10T15:00:00Z")) {}
  std::unique_ptr<Store> Open(StoreOptions o) { return OpenStore(o, PosixFileSystem::Instance()); }
  bool Exists(const std::string& rel) { return std::filesystem::exists(dir_.path() + "/" + rel); }
};

TEST_F(PartitionWriterTest, HourRolloverMakesOneFilePerHour) {
  auto store = Open(Options(dir_.path()));
  for (const char* ts : {"2025-03-10T13:59:59.999999Z", "2025-03-10T14:00:00Z", "2025-03-10T14:30:00Z"}) {
    Tick t = Quote(265598, T(ts), 229.95, 229.97);
    ASSERT_TRUE(store->writer().Append(t).ok());
  }
  ASSERT_TRUE(store->writer().Flush().ok());
  EXPECT_TRUE(Exists("protobuf/265598/bid_ask/2025/03/10/13_ticks.pb"));
  EXPECT_TRUE(Exists("protobuf/265598/bid_ask/2025/03/10/14_ticks.pb"));
  auto rows = store->catalog().ListTickFiles();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  for (const auto& r : *rows) {
    EXPECT_EQ(r.message_count, r.hour_bucket == T("2025-03-10T13:00:00Z") ? 1 : 2);
    EXPECT_EQ(r.status, catalog::FileStatus::kOpen);
  }
}

TEST_F(PartitionWriterTest, DayRolloverUsesTheUtcDate) {
  auto store = Open(Options(dir_.path()));
  Tick a = Trade(711280073, T("2025-03-10T23:59:59Z"), 23260.0, 1);
  Tick b = Trade(711280073, T("2025-03-11T00:00:00Z"), 23261.0, 2);
  ASSERT_TRUE(store->writer().Append(a).ok());
  ASSERT_TRUE(store->writer().Append(b).ok());
  ASSERT_TRUE(store->writer().Flush().ok());
  EXPECT_TRUE(Exists("protobuf/711280073/last/2025/03/10/23_ticks.pb"));
  EXPECT_TRUE(Exists("protobuf/711280073/last/2025/03/11/00_ticks.pb"));
}

TEST_F(PartitionWriterTest, SizeSplitContinuesInTheNextPart) {
  StoreOptions o = Options(dir_.path());
  o.max_file_bytes = 2000;
  auto store = Open(o);
  for (int i = 0; i < 100; ++i) {
    Tick t = Quote(265598, T("2025-03-10T14:00:00Z") + i * 1000, 229.95, 229.97);
    ASSERT_TRUE(store->writer().Append(t).ok());
  }
  ASSERT_TRUE(store->writer().Flush().ok());
  auto rows = store->catalog().ListTickFiles();
  ASSERT_TRUE(rows.ok());
  ASSERT_GT(rows->size(), 2u);
  std::int64_t total = 0;
  for (const auto& r : *rows) {
    total += r.message_count;
    EXPECT_LE(r.file_size_bytes, 2000);
    EXPECT_EQ(r.part_reason, r.part == 1 ? catalog::PartReason::kFirst : catalog::PartReason::kSizeSplit);
  }
  EXPECT_EQ(total, 100);
  EXPECT_TRUE(Exists("protobuf/265598/bid_ask/2025/03/10/14_ticks.part2.pb"));
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 100u);
}

TEST_F(PartitionWriterTest, SealWritesTrueHeaderAndRemovesOpenFile) {
  auto store = Open(Options(dir_.path()));
  Tick a = Quote(265598, T("2025-03-10T14:10:00Z"), 1, 2);
  Tick b = Quote(265598, T("2025-03-10T14:05:00Z"), 1, 2);  // out of order: sealed file is sorted
  ASSERT_TRUE(store->writer().Append(a).ok());
  ASSERT_TRUE(store->writer().Append(b).ok());
  // 15:00 is the end of the hour; with 300 s grace nothing is due until 15:05.
  auto none = store->SealDue();
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->sealed, 0);
  clock_.Set(T("2025-03-10T15:05:00Z"));
  auto sealed = store->SealDue();
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(sealed->sealed, 1);
  EXPECT_FALSE(Exists("protobuf/265598/bid_ask/2025/03/10/14_ticks.pb"));
  std::string sealed_path = dir_.path() + "/protobuf/265598/bid_ask/2025/03/10/14_ticks.pb.lz4";
  auto bytes = PosixFileSystem::Instance().ReadFile(sealed_path);
  ASSERT_TRUE(bytes.ok());
  auto content = format::Lz4DecompressFrame(*bytes);
  ASSERT_TRUE(content.ok());
  auto c = format::DecodeTickFile(std::move(bytes.value()), format::TickFileKind::kSealed, false);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  // The stored bodies were copied, not re-encoded: the same bytes as encoding the ticks anew.
  EXPECT_EQ(*content, format::EncodeSealedContent(c->header, c->ticks));
  EXPECT_EQ(c->header.message_count, 2u);
  EXPECT_EQ(c->header.start_time, T("2025-03-10T14:05:00Z"));
  EXPECT_EQ(c->header.end_time, T("2025-03-10T14:10:00Z"));
  EXPECT_EQ(c->header.compression, "lz4");
  ASSERT_EQ(c->ticks.size(), 2u);
  EXPECT_EQ(c->ticks[0].timestamp_us, T("2025-03-10T14:05:00Z"));
  auto rows = store->catalog().ListTickFiles();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].status, catalog::FileStatus::kSealed);
  EXPECT_EQ((*rows)[0].file_path, "protobuf/265598/bid_ask/2025/03/10/14_ticks.pb.lz4");
  ASSERT_TRUE((*rows)[0].checksum.has_value());
  EXPECT_EQ(*(*rows)[0].checksum, format::ContentChecksum(*content));
}

TEST_F(PartitionWriterTest, LateTickAfterSealGoesToANewPartAndIsNotLost) {
  auto store = Open(Options(dir_.path()));
  Tick a = Trade(265598, T("2025-03-10T14:10:00Z"), 100, 1);
  ASSERT_TRUE(store->writer().Append(a).ok());
  clock_.Set(T("2025-03-10T16:00:00Z"));
  ASSERT_TRUE(store->SealDue().ok());
  Tick late = Trade(265598, T("2025-03-10T14:20:00Z"), 101, 1);
  ASSERT_TRUE(store->writer().Append(late).ok());
  ASSERT_TRUE(store->writer().Flush().ok());
  EXPECT_TRUE(Exists("protobuf/265598/last/2025/03/10/14_ticks.pb.lz4"));
  EXPECT_TRUE(Exists("protobuf/265598/last/2025/03/10/14_ticks.part2.pb"));
  auto p2 = store->catalog().GetTickFile(265598, TickType::kLast, T("2025-03-10T14:00:00Z"), 2);
  ASSERT_TRUE(p2.ok());
  ASSERT_TRUE(p2->has_value());
  EXPECT_EQ((*p2)->part_reason, catalog::PartReason::kLate);
  ASSERT_TRUE(store->SealDue().ok());
  EXPECT_TRUE(Exists("protobuf/265598/last/2025/03/10/14_ticks.part2.pb.lz4"));
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 2u);
}

TEST_F(PartitionWriterTest, LateTickAfterRestartFindsTheSealedHourInTheCatalog) {
  {
    auto store = Open(Options(dir_.path()));
    Tick a = Trade(265598, T("2025-03-10T14:10:00Z"), 100, 1);
    ASSERT_TRUE(store->writer().Append(a).ok());
    clock_.Set(T("2025-03-10T16:00:00Z"));
    ASSERT_TRUE(store->SealDue().ok());
  }
  auto store = Open(Options(dir_.path()));
  Tick late = Trade(265598, T("2025-03-10T14:20:00Z"), 101, 1);
  ASSERT_TRUE(store->writer().Append(late).ok());
  ASSERT_TRUE(store->writer().Flush().ok());
  EXPECT_TRUE(Exists("protobuf/265598/last/2025/03/10/14_ticks.part2.pb"));
  EXPECT_EQ(ReadAllTicks(dir_.path()).size(), 2u);
}

TEST_F(PartitionWriterTest, ArrivalSequenceIsMonotonicAcrossTickTypesAndRestarts) {
  std::uint64_t last = 0;
  for (int run = 0; run < 2; ++run) {
    auto store = Open(Options(dir_.path()));
    for (int i = 0; i < 10; ++i) {
      Tick q = Quote(1, T("2025-03-10T14:00:00Z"), 1, 2);  // equal timestamps on purpose
      Tick t = Trade(1, T("2025-03-10T14:00:00Z"), 1, 1);
      ASSERT_TRUE(store->writer().Append(q).ok());
      ASSERT_TRUE(store->writer().Append(t).ok());
      EXPECT_GT(q.arrival_seq, last);
      EXPECT_EQ(t.arrival_seq, q.arrival_seq + 1);
      last = t.arrival_seq;
    }
    ASSERT_TRUE(store->writer().Flush().ok());
  }
  auto ticks = ReadAllTicks(dir_.path());
  ASSERT_EQ(ticks.size(), 40u);
  for (std::size_t i = 1; i < ticks.size(); ++i) EXPECT_GT(ticks[i].arrival_seq, ticks[i - 1].arrival_seq);
}

TEST_F(PartitionWriterTest, SecondWriterIsRefusedNamingTheHolder) {
  auto store = Open(Options(dir_.path()));
  auto second = Store::Open(Options(dir_.path()), PosixFileSystem::Instance(), clock_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kBusy);
  EXPECT_NE(second.status().message().find("pid "), std::string::npos) << second.status().message();
}

TEST_F(PartitionWriterTest, AnotherInstanceNameOnTheSameRootIsRefused) {
  { auto store = Open(Options(dir_.path())); }
  StoreOptions o = Options(dir_.path());
  o.instance_name = "someone-else";
  auto s = Store::Open(o, PosixFileSystem::Instance(), clock_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("test-instance"), std::string::npos);
}

}  // namespace
}  // namespace ibr::storage
