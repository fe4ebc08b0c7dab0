// FederatedQuery over a stated timeline and fake instances: the cut-over
// without doubling, fallbacks, holes, a read failing half-way, the limit,
// ticks outside their segment, and an output that goes away.
#include "federation/federated_query.h"

#include <gtest/gtest.h>

#include <map>

#include "common/time_text.h"
#include "federation/coverage_table.h"
#include "federation/federation_test_util.h"

namespace ibr::federation {
namespace {

using test_util::kMnq;
using test_util::T;

// An instance's ticks: one a minute over [from, to), stream_id naming the instance.
std::vector<Tick> Minutely(const std::string& instance, const char* from, const char* to) {
  std::vector<Tick> out;
  for (TimeUs t = T(from); t < T(to); t += 60 * kUsPerSecond) {
    Tick k;
    k.contract_id = kMnq;
    k.timestamp_us = t;
    k.stream_id = instance;
    k.bid_price = 1;
    out.push_back(k);
  }
  return out;
}

class FakeReader final : public SegmentReader {
 public:
  explicit FakeReader(std::vector<Tick> ticks) : ticks_(std::move(ticks)) {}
  Status Read(const SegmentRequest& r, query::TickSink& sink, std::vector<std::string>&) override {
    ++reads;
    std::uint64_t n = 0;
    for (const Tick& t : ticks_) {
      if (!sloppy && !r.range.Contains(t.timestamp_us)) continue;
      if (fail_after && n == *fail_after) return Status::Unavailable("connection reset");
      IBR_RETURN_IF_ERROR(sink.OnTick(t, {}));
      ++n;
    }
    return Status::Ok();
  }
  std::string Describe() const override { return "fake"; }
  std::optional<std::uint64_t> fail_after;  // ticks delivered before failing
  bool sloppy = false;                      // delivers every tick it has, whatever the range
  int reads = 0;

 private:
  std::vector<Tick> ticks_;
};

class FakeReaders final : public ReaderProvider {
 public:
  Result<SegmentReader*> For(const InstanceRef& i) override {
    auto it = readers.find(i.name);
    if (it == readers.end()) return Status::Unavailable("http://" + i.host + " does not answer");
    return static_cast<SegmentReader*>(it->second.get());
  }
  std::map<std::string, std::unique_ptr<FakeReader>> readers;
};

class Collect final : public query::TickSink {
 public:
  Status OnTick(const Tick& t, std::string_view) override {
    if (fail_at && got.size() == *fail_at) return Status::IoError("writing output: Broken pipe");
    got.push_back(t);
    return Status::Ok();
  }
  std::map<std::string, int> BySource() const {
    std::map<std::string, int> m;
    for (const auto& t : got) ++m[t.stream_id];
    return m;
  }
  std::vector<Tick> got;
  std::optional<std::size_t> fail_at;
};

CoverageRow Row(const std::string& instance, const char* session_start, const char* from, const char* to) {
  return {kMnq, {instance, instance + ".example", 8002, "/srv/" + instance}, 1, T(session_start), {T(from), T(to)}, ""};
}

class FederatedQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // blue 13:00-15:00, green from 14:50 (a ten-minute blue-green overlap) to 18:00.
    table_.Add({Row("blue", "13:00", "13:00", "15:00"), Row("green", "14:50", "14:50", "18:00")});
    readers_.readers["blue"] = std::make_unique<FakeReader>(Minutely("blue", "13:00", "15:00"));
    readers_.readers["green"] = std::make_unique<FakeReader>(Minutely("green", "14:50", "18:00"));
  }
  Result<FederatedStats> Run(std::optional<std::uint64_t> limit = std::nullopt) {
    FederatedQuery fq(table_, readers_);
    return fq.Run(query::TickQuery{kMnq, {TickType::kBidAsk}, {{T("12:00"), T("19:00")}}, limit}, out_);
  }
  void ExpectOrderedAndUnique() {
    for (std::size_t i = 1; i < out_.got.size(); ++i) {
      ASSERT_LT(out_.got[i - 1].timestamp_us, out_.got[i].timestamp_us) << "tick " << i;
    }
  }
  FakeReader& reader(const std::string& n) { return *readers_.readers[n]; }

  CoverageTable table_;
  FakeReaders readers_;
  Collect out_;
};

TEST_F(FederatedQueryTest, OverlapIsTakenFromTheFirstSessionOnlyAndCutOverAtItsEnd) {
  auto st = Run();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  ExpectOrderedAndUnique();
  EXPECT_EQ(out_.BySource(), (std::map<std::string, int>{{"blue", 120}, {"green", 180}}));
  EXPECT_EQ(st->ticks, 300u);
  // the last blue tick is 14:59, the first green one 15:00
  auto first_green = std::find_if(out_.got.begin(), out_.got.end(), [](const Tick& t) { return t.stream_id == "green"; });
  ASSERT_NE(first_green, out_.got.end());
  EXPECT_EQ(first_green->timestamp_us, T("15:00"));
  EXPECT_EQ((first_green - 1)->stream_id, "blue");
  EXPECT_TRUE(st->holes.empty());
  ASSERT_EQ(st->gaps.size(), 2u);
  EXPECT_EQ(st->gaps[0], (query::TimeRange{T("12:00"), T("13:00")}));
  ASSERT_EQ(st->reads.size(), 3u);
  EXPECT_EQ(st->reads[1].instance, "blue");
  EXPECT_EQ(st->reads[1].ticks, 10u);
}

TEST_F(FederatedQueryTest, AnUnreachableInstanceFallsBackWhereAnotherCoveredAndLeavesAHoleElsewhere) {
  readers_.readers.erase("blue");
  auto st = Run();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  ExpectOrderedAndUnique();
  // the overlap comes from green; blue's own time is a hole, reported with why
  EXPECT_EQ(out_.BySource(), (std::map<std::string, int>{{"green", 190}}));
  ASSERT_EQ(st->holes.size(), 1u);
  EXPECT_EQ(st->holes[0].range, (query::TimeRange{T("13:00"), T("14:50")}));
  EXPECT_NE(st->holes[0].why.find("instance 'blue'"), std::string::npos) << st->holes[0].why;
  EXPECT_NE(st->holes[0].why.find("does not answer"), std::string::npos) << st->holes[0].why;
}

TEST_F(FederatedQueryTest, AReadFailingHalfWayContinuesFromTheNextSourceWithoutDoubling) {
  reader("blue").fail_after = 5;  // in the overlap segment: 14:50..14:54 delivered, then the connection drops
  table_ = CoverageTable({Row("blue", "13:00", "14:50", "15:00"), Row("green", "14:50", "14:50", "18:00")});
  auto st = Run();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  ExpectOrderedAndUnique();
  EXPECT_EQ(out_.BySource(), (std::map<std::string, int>{{"blue", 5}, {"green", 185}}));
  EXPECT_TRUE(st->holes.empty());
}

TEST_F(FederatedQueryTest, AReadFailingHalfWayWithNoOtherSourceLeavesTheRestAsAHole) {
  reader("blue").fail_after = 30;  // 13:00..13:29 delivered
  auto st = Run();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  ExpectOrderedAndUnique();
  ASSERT_EQ(st->holes.size(), 1u);
  EXPECT_EQ(st->holes[0].range, (query::TimeRange{T("13:29") + 1, T("14:50")}));
  EXPECT_NE(st->holes[0].why.find("connection reset"), std::string::npos);
  // the overlap segment is a new read from blue: its 10 ticks stay below the failure point
  EXPECT_EQ(out_.BySource().at("blue"), 30 + 10);
}

TEST_F(FederatedQueryTest, TheLimitCountsAcrossSegments) {
  auto st = Run(125);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_TRUE(st->limit_reached);
  EXPECT_EQ(out_.got.size(), 125u);
  EXPECT_EQ(out_.BySource(), (std::map<std::string, int>{{"blue", 120}, {"green", 5}}));
}

TEST_F(FederatedQueryTest, TicksOutsideTheirSegmentAreDropped) {
  reader("blue").sloppy = true;  // answers with all it has, the overlap included, every time
  reader("green").sloppy = true;
  auto st = Run();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  ExpectOrderedAndUnique();
  EXPECT_EQ(out_.BySource(), (std::map<std::string, int>{{"blue", 120}, {"green", 180}}));
}

TEST_F(FederatedQueryTest, AnOutputErrorStopsTheQuery) {
  out_.fail_at = 7;
  auto st = Run();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.status().message().find("Broken pipe"), std::string::npos);
  EXPECT_EQ(out_.got.size(), 7u);
}

}  // namespace
}  // namespace ibr::federation

namespace ibr::federation {
namespace {

CoverageRow FilesRow(const std::string& instance, const char* from, const char* to) {
  CoverageRow r = Row(instance, "00:00", from, to);
  r.session_start = 0;
  r.stored = true;
  r.status = "stored";
  return r;
}

// Outside every session, stored files are read: what they hold is output, what they
// do not hold is still a gap, and a note says late ticks were found.
TEST_F(FederatedQueryTest, StoredOnlyPiecesAreReadAndWhatTheyLackIsAGap) {
  // green's files also hold 18:00-18:10 (backfilled after its session ended) and a file
  // spanning 18:30-18:40 that holds nothing for the asked tick type.
  table_.Add({FilesRow("green", "18:00", "18:10"), FilesRow("green", "18:30", "18:40")});
  readers_.readers["green"] = std::make_unique<FakeReader>(Minutely("green", "14:50", "18:10"));
  auto st = Run();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  ExpectOrderedAndUnique();
  EXPECT_EQ(out_.BySource(), (std::map<std::string, int>{{"blue", 120}, {"green", 190}}));
  EXPECT_TRUE(st->holes.empty());
  // 18:09 is the last stored tick: after it, and in the empty 18:30-18:40 file, nothing was
  // collected; 18:00 itself is green's session's last instant.
  std::vector<query::TimeRange> gaps{{T("12:00"), T("13:00")}, {T("18:09") + 1, T("19:00")}};
  EXPECT_EQ(st->gaps, gaps);
  ASSERT_EQ(st->notes.size(), 1u);
  EXPECT_NE(st->notes[0].find("9 late or backfilled tick(s) read from instance 'green'"), std::string::npos)
      << st->notes[0];
}

}  // namespace
}  // namespace ibr::federation
