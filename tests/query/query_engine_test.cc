// QueryEngine over real files and a real catalog: file selection, mid-hour
// starts, merge across tick types and late parts, half-open ranges, several
// ranges, limit, pass-through bodies.
#include "query/query_engine.h"

#include <gtest/gtest.h>

#include "format/tick_codec.h"
#include "query_test_util.h"
#include "test_store.h"

namespace ibr::query {
namespace {

using testing::BidAsk;
using testing::Last;
using testing::T;
using testing::TestStore;

const TimeUs kH14 = T("2025-03-10T14:00:00Z");
const TimeUs kH15 = T("2025-03-10T15:00:00Z");
const TimeUs kH16 = T("2025-03-10T16:00:00Z");

struct Collect final : TickSink {
  bool raw = false;
  std::vector<Tick> ticks;
  std::vector<std::string> bodies;
  Status OnTick(const Tick& t, std::string_view body) override {
    ticks.push_back(t);
    bodies.emplace_back(body);
    return Status::Ok();
  }
  bool WantsRawBodies() const override { return raw; }
  bool NeedsFullTicks() const override { return !key_only; }
  bool key_only = false;
  std::vector<std::uint64_t> Seqs() const {
    std::vector<std::uint64_t> s;
    for (const auto& t : ticks) s.push_back(t.arrival_seq);
    return s;
  }
};

class QueryEngineTest : public ::testing::Test {
 protected:
  Result<QueryStats> Run(std::vector<TickType> types, std::vector<TimeRange> ranges, Collect& sink,
                         std::optional<std::uint64_t> limit = std::nullopt) {
    auto reader = store_.OpenReader();
    if (!reader) return Status::Internal("no reader");
    QueryEngine engine(PosixFileSystem::Instance(), store_.root(), *reader);
    return engine.Run(TickQuery{testing::kContract, std::move(types), std::move(ranges), limit}, sink);
  }
  TestStore store_;
};

TEST_F(QueryEngineTest, MidHourStartIncludesThatHoursFile) {
  store_.Write(TickType::kBidAsk, kH14, 1, {BidAsk(kH14 + 10 * kUsPerMinute, 1), BidAsk(kH14 + 40 * kUsPerMinute, 2)},
               true);
  store_.Write(TickType::kBidAsk, kH15, 1, {BidAsk(kH15 + 5 * kUsPerMinute, 3), BidAsk(kH15 + 50 * kUsPerMinute, 4)},
               false);
  Collect sink;
  auto stats = Run({TickType::kBidAsk}, {{kH14 + 30 * kUsPerMinute, kH15 + 30 * kUsPerMinute}}, sink);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(sink.Seqs(), (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(stats->ticks, 2u);
  EXPECT_EQ(stats->files_read, 2u);
}

TEST_F(QueryEngineTest, RangeIsHalfOpenAndOnlyOverlappingFilesAreRead) {
  store_.Write(TickType::kBidAsk, kH14, 1, {BidAsk(kH14, 1), BidAsk(kH14 + 1, 2)}, true);
  store_.Write(TickType::kBidAsk, kH15, 1, {BidAsk(kH15, 3)}, true);
  store_.Write(TickType::kBidAsk, kH16, 1, {BidAsk(kH16, 4)}, true);
  Collect sink;
  auto stats = Run({TickType::kBidAsk}, {{kH14, kH15}}, sink);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(sink.Seqs(), (std::vector<std::uint64_t>{1, 2}));  // the tick at kH15 (= end) is outside
  EXPECT_EQ(stats->files_read, 1u);
}

TEST_F(QueryEngineTest, TickTypesMergeInArrivalOrderOnEqualTimestamps) {
  TimeUs t = kH14 + 1000;
  store_.Write(TickType::kBidAsk, kH14, 1, {BidAsk(t, 1), BidAsk(t, 4), BidAsk(t + 5, 6)}, false);
  store_.Write(TickType::kLast, kH14, 1, {Last(t, 2), Last(t, 3), Last(t + 5, 5)}, true);
  Collect sink;
  auto stats = Run({TickType::kBidAsk, TickType::kLast}, {{kH14, kH15}}, sink);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(sink.Seqs(), (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6}));
}

TEST_F(QueryEngineTest, LatePartsOfAnHourAreMergedIn) {
  store_.Write(TickType::kBidAsk, kH14, 1, {BidAsk(kH14 + 100, 1), BidAsk(kH14 + 300, 3)}, true);
  // Arrived after the hour was sealed: a second part overlapping the first in time.
  store_.Write(TickType::kBidAsk, kH14, 2, {BidAsk(kH14 + 200, 10), BidAsk(kH14 + 400, 11)}, false);
  store_.Write(TickType::kBidAsk, kH15, 1, {BidAsk(kH15 + 1, 12)}, false);
  Collect sink;
  auto stats = Run({TickType::kBidAsk}, {{kH14, kH16}}, sink);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(sink.Seqs(), (std::vector<std::uint64_t>{1, 10, 3, 11, 12}));
}

TEST_F(QueryEngineTest, FileSealedAfterTheCatalogWasReadIsStillRead) {
  store_.Write(TickType::kBidAsk, kH14, 1, {BidAsk(kH14 + 1, 1)}, /*sealed=*/true, "", /*row_says_open=*/true);
  Collect sink;
  auto stats = Run({TickType::kBidAsk}, {{kH14, kH15}}, sink);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(sink.Seqs(), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(stats->files_resealed, 1u);
}

TEST_F(QueryEngineTest, TornTailOfTheLiveFileIsNeverReturned) {
  std::string garbage("\x00\x00\x00\x30" "partial", 11);
  store_.Write(TickType::kBidAsk, kH14, 1, {BidAsk(kH14 + 1, 1), BidAsk(kH14 + 2, 2)}, false, garbage);
  Collect sink;
  auto stats = Run({TickType::kBidAsk}, {{kH14, kH15}}, sink);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(sink.Seqs(), (std::vector<std::uint64_t>{1, 2}));
}

TEST_F(QueryEngineTest, SeveralRangesOldestFirstSkipTheGap) {
  store_.Write(TickType::kBidAsk, kH14, 1, {BidAsk(kH14 + 1, 1), BidAsk(kH14 + 2, 2)}, true);
  store_.Write(TickType::kBidAsk, kH15, 1, {BidAsk(kH15 + 1, 3)}, true);
  store_.Write(TickType::kBidAsk, kH16, 1, {BidAsk(kH16 + 1, 4)}, true);
  Collect sink;
  auto stats = Run({TickType::kBidAsk}, {{kH14, kH14 + 2}, {kH16, kH16 + kUsPerHour}}, sink);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(sink.Seqs(), (std::vector<std::uint64_t>{1, 4}));
}

TEST_F(QueryEngineTest, LimitStopsEarly) {
  std::vector<Tick> ticks;
  for (std::uint64_t i = 1; i <= 50; ++i) ticks.push_back(BidAsk(kH14 + static_cast<TimeUs>(i), i));
  store_.Write(TickType::kBidAsk, kH14, 1, ticks, true);
  store_.Write(TickType::kBidAsk, kH15, 1, {BidAsk(kH15 + 1, 51)}, true);
  Collect sink;
  auto stats = Run({TickType::kBidAsk}, {{kH14, kH16}}, sink, 7);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(sink.ticks.size(), 7u);
  EXPECT_EQ(stats->files_read, 1u);  // the next hour was never opened
}

TEST_F(QueryEngineTest, RawBodiesArePassedThroughWithoutCrc) {
  store_.Write(TickType::kBidAsk, kH14, 1, {BidAsk(kH14 + 1, 1)}, false);
  store_.Write(TickType::kLast, kH14, 1, {Last(kH14 + 2, 2)}, true);
  Collect sink;
  sink.raw = true;
  auto stats = Run({TickType::kBidAsk, TickType::kLast}, {{kH14, kH15}}, sink);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  ASSERT_EQ(sink.bodies.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    std::string expected;
    format::EncodeTickMessage(sink.ticks[i], format::Checksum::kNone, expected);
    EXPECT_EQ(sink.bodies[i], expected);
  }
}

TEST_F(QueryEngineTest, KeyOnlySinkGetsTheKeyAndTheStoredBodyOfEveryTick) {
  const std::vector<Tick> quotes = {BidAsk(kH14 + 1, 1), BidAsk(kH14 + 3, 3)};
  const std::vector<Tick> trades = {Last(kH14 + 2, 2)};
  store_.Write(TickType::kBidAsk, kH14, 1, quotes, false);
  store_.Write(TickType::kLast, kH14, 1, trades, true);
  Collect sink;
  sink.raw = true;
  sink.key_only = true;
  auto stats = Run({TickType::kBidAsk, TickType::kLast}, {{kH14, kH15}}, sink);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  const std::vector<Tick> want = {quotes[0], trades[0], quotes[1]};
  ASSERT_EQ(sink.ticks.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(sink.ticks[i].timestamp_us, want[i].timestamp_us);
    EXPECT_EQ(sink.ticks[i].arrival_seq, want[i].arrival_seq);
    EXPECT_EQ(sink.ticks[i].tick_type, want[i].tick_type);
    EXPECT_EQ(sink.ticks[i].contract_id, want[i].contract_id);
    std::string expected;
    format::EncodeTickMessage(want[i], format::Checksum::kNone, expected);
    EXPECT_EQ(sink.bodies[i], expected);
  }
}

TEST_F(QueryEngineTest, NoFilesNoTicksAndOtherContractsAreNotRead) {
  Collect sink;
  auto stats = Run({TickType::kMidPoint}, {{kH14, kH16}}, sink);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_TRUE(sink.ticks.empty());
  EXPECT_EQ(stats->files_read, 0u);
}

TEST_F(QueryEngineTest, SinkErrorStopsTheQuery) {
  store_.Write(TickType::kBidAsk, kH14, 1, {BidAsk(kH14 + 1, 1), BidAsk(kH14 + 2, 2)}, true);
  struct Failing final : TickSink {
    int calls = 0;
    Status OnTick(const Tick&, std::string_view) override {
      ++calls;
      return Status::IoError("client went away");
    }
  } sink;
  auto reader = store_.OpenReader();
  QueryEngine engine(PosixFileSystem::Instance(), store_.root(), *reader);
  auto r = engine.Run(TickQuery{testing::kContract, {TickType::kBidAsk}, {{kH14, kH15}}, std::nullopt}, sink);
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_EQ(sink.calls, 1);
}

}  // namespace
}  // namespace ibr::query
