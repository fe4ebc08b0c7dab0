// CoveragePlan: the cut-over rule on overlap, nesting, outages, gaps, shared
// host:port, several contracts, and the last-instant rule.
#include "federation/coverage_plan.h"

#include <gtest/gtest.h>

#include "common/time_text.h"
#include "federation/federation_test_util.h"

namespace ibr::federation {
namespace {

constexpr std::uint32_t kAapl = 265598;

using test_util::kMnq;
using test_util::T;

InstanceRef Inst(const std::string& name, const std::string& host = "collector1", int port = 8002) {
  return {name, host, port, "/srv/" + name};
}

CoverageRow Row(const std::string& instance, std::int64_t session, const char* session_start, const char* from,
                const char* to, std::uint32_t contract = kMnq) {
  return {contract, Inst(instance), session, T(session_start), {T(from), T(to)}, "completed"};
}

// "name[from,to)+fallbacks" per segment, for readable expectations.
std::vector<std::string> Describe(const CoveragePlan& p) {
  std::vector<std::string> out;
  for (const auto& s : p.segments) {
    std::string d = s.sources.front().name + "[" + FormatIsoTimestamp(s.range.start).substr(11, 15) + "," +
                    FormatIsoTimestamp(s.range.end).substr(11, 15) + ")";
    for (std::size_t i = 1; i < s.sources.size(); ++i) d += "+" + s.sources[i].name;
    out.push_back(d);
  }
  return out;
}

std::vector<std::string> Gaps(const CoveragePlan& p) {
  std::vector<std::string> out;
  for (const auto& g : p.gaps) {
    out.push_back(FormatIsoTimestamp(g.start).substr(11, 15) + "," + FormatIsoTimestamp(g.end).substr(11, 15));
  }
  return out;
}

using V = std::vector<std::string>;

TEST(CoveragePlan, OneInstanceCoveringAllIsOneSegment) {
  auto p = PlanCoverage({Row("blue", 1, "13:00:00", "13:00:00", "15:00:00")}, kMnq, {T("13:30:00"), T("14:30:00")});
  EXPECT_EQ(Describe(p), (V{"blue[13:30:00.000000,14:30:00.000000)"}));
  EXPECT_TRUE(p.gaps.empty());
  EXPECT_EQ(p.segments.front().contract_id, kMnq);
  EXPECT_EQ(p.segments.front().sources.front(), Inst("blue"));
}

TEST(CoveragePlan, BlueGreenOverlapComesFromTheFirstSessionUntilItsCoverageEnds) {
  auto p = PlanCoverage({Row("green", 7, "14:50:00", "14:50:00", "18:00:00"),
                         Row("blue", 3, "13:00:00", "13:00:00", "15:00:00")},
                        kMnq, {T("12:00:00"), T("19:00:00")});
  // blue alone, then blue with green as fallback (the overlap), then green; green's last
  // instant 18:00 is kept because nothing takes over there.
  EXPECT_EQ(Describe(p), (V{"blue[13:00:00.000000,14:50:00.000000)", "blue[14:50:00.000000,15:00:00.000000)+green",
                            "green[15:00:00.000000,18:00:00.000001)"}));
  EXPECT_EQ(Gaps(p), (V{"12:00:00.000000,13:00:00.000000", "18:00:00.000001,19:00:00.000000"}));
}

TEST(CoveragePlan, TheEarlierSessionWinsWhateverTheRowOrder) {
  std::vector<CoverageRow> rows{Row("blue", 3, "13:00:00", "13:00:00", "15:00:00"),
                                Row("green", 7, "14:50:00", "14:50:00", "18:00:00")};
  auto a = PlanCoverage(rows, kMnq, {T("14:00:00"), T("16:00:00")});
  std::swap(rows[0], rows[1]);
  auto b = PlanCoverage(rows, kMnq, {T("14:00:00"), T("16:00:00")});
  EXPECT_EQ(a.segments, b.segments);
  EXPECT_EQ(Describe(a), (V{"blue[14:00:00.000000,14:50:00.000000)", "blue[14:50:00.000000,15:00:00.000000)+green",
                            "green[15:00:00.000000,16:00:00.000000)"}));
}

TEST(CoveragePlan, NestedSessionNeverTakesOverFromTheOuterOne) {
  auto p = PlanCoverage({Row("outer", 1, "10:00:00", "10:00:00", "18:00:00"),
                         Row("inner", 2, "12:00:00", "12:00:00", "14:00:00")},
                        kMnq, {T("10:00:00"), T("18:00:00")});
  EXPECT_EQ(Describe(p), (V{"outer[10:00:00.000000,12:00:00.000000)", "outer[12:00:00.000000,14:00:00.000000)+inner",
                            "outer[14:00:00.000000,18:00:00.000000)"}));
  EXPECT_TRUE(p.gaps.empty());
}

TEST(CoveragePlan, TheRuleUsesSessionStartNotTheClippedCoverageStart) {
  // `early` started at 08:00 and came back after an outage at 12:00; `late` started at 09:00.
  // Over 12:00-14:00 both cover and early's session is older, though its piece starts later.
  auto p = PlanCoverage({Row("late", 5, "09:00:00", "09:00:00", "18:00:00"),
                         Row("early", 4, "08:00:00", "08:00:00", "08:30:00"),
                         Row("early", 4, "08:00:00", "12:00:00", "14:00:00")},
                        kMnq, {T("10:00:00"), T("16:00:00")});
  EXPECT_EQ(Describe(p), (V{"late[10:00:00.000000,12:00:00.000000)", "early[12:00:00.000000,14:00:00.000000)+late",
                            "late[14:00:00.000000,16:00:00.000000)"}));
}

TEST(CoveragePlan, AnOutageHandsOverAndTheOlderSessionTakesBackAfterIt) {
  // blue's upstream outage 13:30-13:40 removed that time from its coverage; green started 13:35.
  auto p = PlanCoverage({Row("blue", 1, "13:00:00", "13:00:00", "13:30:00"),
                         Row("blue", 1, "13:00:00", "13:40:00", "15:00:00"),
                         Row("green", 2, "13:35:00", "13:35:00", "18:00:00")},
                        kMnq, {T("13:00:00"), T("18:00:00")});
  EXPECT_EQ(Describe(p), (V{"blue[13:00:00.000000,13:30:00.000001)", "green[13:35:00.000000,13:40:00.000000)",
                            "blue[13:40:00.000000,15:00:00.000000)+green", "green[15:00:00.000000,18:00:00.000000)"}));
  EXPECT_EQ(Gaps(p), (V{"13:30:00.000001,13:35:00.000000"}));
}

TEST(CoveragePlan, GapsBetweenSessionsAndNoSessionAtAll) {
  auto p = PlanCoverage({Row("c2", 1, "09:00:00", "09:00:00", "10:00:00"),
                         Row("c2", 2, "11:00:00", "11:00:00", "12:00:00")},
                        kMnq, {T("08:00:00"), T("13:00:00")});
  EXPECT_EQ(Describe(p), (V{"c2[09:00:00.000000,10:00:00.000001)", "c2[11:00:00.000000,12:00:00.000001)"}));
  EXPECT_EQ(Gaps(p), (V{"08:00:00.000000,09:00:00.000000", "10:00:00.000001,11:00:00.000000",
                        "12:00:00.000001,13:00:00.000000"}));

  auto none = PlanCoverage({}, kMnq, {T("08:00:00"), T("09:00:00")});
  EXPECT_TRUE(none.segments.empty());
  EXPECT_EQ(Gaps(none), (V{"08:00:00.000000,09:00:00.000000"}));
}

TEST(CoveragePlan, AnEmptyRangeHasNothing) {
  auto p = PlanCoverage({Row("blue", 1, "13:00:00", "13:00:00", "15:00:00")}, kMnq, {T("14:00:00"), T("14:00:00")});
  EXPECT_TRUE(p.segments.empty());
  EXPECT_TRUE(p.gaps.empty());
}

TEST(CoveragePlan, TheRangeEndIsNeverPassed) {
  // Coverage clipped at the range end: no last-instant extension beyond it.
  auto p = PlanCoverage({Row("blue", 1, "13:00:00", "13:00:00", "15:00:00")}, kMnq, {T("14:00:00"), T("15:00:00")});
  EXPECT_EQ(Describe(p), (V{"blue[14:00:00.000000,15:00:00.000000)"}));
  auto q = PlanCoverage({Row("blue", 1, "13:00:00", "13:00:00", "15:00:00")}, kMnq, {T("14:00:00"), T("14:30:00")});
  EXPECT_EQ(Describe(q), (V{"blue[14:00:00.000000,14:30:00.000000)"}));
}

TEST(CoveragePlan, OneMicrosecondGapIsClosedByTheLastInstant) {
  auto p = PlanCoverage({Row("a", 1, "10:00:00", "10:00:00", "11:00:00"),
                         Row("b", 2, "11:00:00.000001", "11:00:00.000001", "12:00:00")},
                        kMnq, {T("10:00:00"), T("12:00:00")});
  EXPECT_EQ(Describe(p), (V{"a[10:00:00.000000,11:00:00.000001)", "b[11:00:00.000001,12:00:00.000000)"}));
  EXPECT_TRUE(p.gaps.empty());
}

TEST(CoveragePlan, SameHostAndPortBlueGreenAreStillTwoInstances) {
  // A blue-green rollout reuses host and port: instances are told apart by name.
  CoverageRow blue = Row("production-collector1-blue", 1, "13:00:00", "13:00:00", "15:00:00");
  CoverageRow green = Row("production-collector1-green", 1, "14:50:00", "14:50:00", "18:00:00");
  ASSERT_EQ(blue.instance.host, green.instance.host);
  ASSERT_EQ(blue.instance.port, green.instance.port);
  auto p = PlanCoverage({blue, green}, kMnq, {T("14:00:00"), T("16:00:00")});
  ASSERT_EQ(p.segments.size(), 3u);
  EXPECT_EQ(p.segments[1].sources, (std::vector<InstanceRef>{blue.instance, green.instance}));
  EXPECT_EQ(p.segments[2].sources, (std::vector<InstanceRef>{green.instance}));
}

TEST(CoveragePlan, TwoSessionsOfOneInstanceAreOneSource) {
  // A run and an ingest session of the same instance overlap: its files hold both; read once.
  auto p = PlanCoverage({Row("blue", 1, "10:00:00", "10:00:00", "12:00:00"),
                         Row("blue", 2, "11:00:00", "11:00:00", "13:00:00")},
                        kMnq, {T("10:00:00"), T("14:00:00")});
  EXPECT_EQ(Describe(p), (V{"blue[10:00:00.000000,13:00:00.000001)"}));
}

TEST(CoveragePlan, TiesOnSessionStartGoByInstanceName) {
  auto p = PlanCoverage({Row("zulu", 1, "10:00:00", "10:00:00", "12:00:00"),
                         Row("alpha", 9, "10:00:00", "10:00:00", "12:00:00")},
                        kMnq, {T("10:00:00"), T("12:00:00")});
  EXPECT_EQ(Describe(p), (V{"alpha[10:00:00.000000,12:00:00.000000)+zulu"}));
}

TEST(CoveragePlan, SeveralContractsArePlannedApart) {
  std::vector<CoverageRow> rows{Row("blue", 1, "13:00:00", "13:00:00", "15:00:00", kMnq),
                                Row("green", 2, "14:00:00", "14:00:00", "16:00:00", kMnq),
                                Row("green", 2, "14:00:00", "14:00:00", "16:00:00", kAapl)};
  auto plans = PlanContracts(rows, {kAapl, kMnq, 42}, {T("13:00:00"), T("16:00:00")});
  ASSERT_EQ(plans.size(), 3u);
  EXPECT_EQ(plans[0].contract_id, kAapl);
  EXPECT_EQ(Describe(plans[0]), (V{"green[14:00:00.000000,16:00:00.000000)"}));
  EXPECT_EQ(Gaps(plans[0]), (V{"13:00:00.000000,14:00:00.000000"}));
  EXPECT_EQ(Describe(plans[1]), (V{"blue[13:00:00.000000,14:00:00.000000)", "blue[14:00:00.000000,15:00:00.000000)+green",
                                   "green[15:00:00.000000,16:00:00.000000)"}));
  for (const auto& s : plans[1].segments) EXPECT_EQ(s.contract_id, kMnq);
  EXPECT_TRUE(plans[2].segments.empty());
  EXPECT_EQ(Gaps(plans[2]), (V{"13:00:00.000000,16:00:00.000000"}));
}

TEST(CoveragePlan, SegmentsAreDisjointOrderedAndTileTheCoveredTime) {
  // A busy history: whatever the overlaps, segments + gaps tile the range exactly once.
  std::vector<CoverageRow> rows{Row("a", 1, "09:00:00", "09:00:00", "10:30:00"),
                                Row("b", 2, "10:00:00", "10:00:00", "12:00:00"),
                                Row("c", 3, "09:30:00", "11:00:00", "11:15:00"),
                                Row("a", 4, "11:45:00", "11:45:00", "13:00:00"),
                                Row("d", 5, "14:00:00", "14:00:00", "14:10:00")};
  const query::TimeRange range{T("08:00:00"), T("15:00:00")};
  auto p = PlanCoverage(rows, kMnq, range);
  std::vector<query::TimeRange> all;
  for (const auto& s : p.segments) all.push_back(s.range);
  all.insert(all.end(), p.gaps.begin(), p.gaps.end());
  std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.start < y.start; });
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().start, range.start);
  EXPECT_EQ(all.back().end, range.end);
  for (std::size_t i = 0; i + 1 < all.size(); ++i) EXPECT_EQ(all[i].end, all[i + 1].start);
  EXPECT_EQ(Describe(p), (V{"a[09:00:00.000000,10:00:00.000000)", "a[10:00:00.000000,10:30:00.000000)+b",
                            "b[10:30:00.000000,11:00:00.000000)", "c[11:00:00.000000,11:15:00.000000)+b",
                            "b[11:15:00.000000,11:45:00.000000)", "b[11:45:00.000000,12:00:00.000000)+a",
                            "a[12:00:00.000000,13:00:00.000001)", "d[14:00:00.000000,14:10:00.000001)"}));
}

}  // namespace
}  // namespace ibr::federation

namespace ibr::federation {
namespace {

// What an instance's files hold (tick_files spans), outside or inside its sessions.
CoverageRow StoredRow(const std::string& instance, const char* from, const char* to) {
  CoverageRow r = Row(instance, 0, "00:00:00", from, to);
  r.session_start = 0;
  r.status = "stored";
  r.stored = true;
  return r;
}

std::vector<bool> StoredOnly(const CoveragePlan& p) {
  std::vector<bool> out;
  for (const auto& s : p.segments) out.push_back(s.stored_only);
  return out;
}

// Ticks POSTed a minute before the running session began are stored: the plan reads them
// from the files instead of calling that minute a collection gap.
TEST(CoveragePlan, StoredTicksBeforeTheSessionAreReadFromTheFiles) {
  auto p = PlanCoverage({Row("green", 2, "14:00:00", "14:00:00", "15:00:00"),
                         StoredRow("green", "13:59:00", "14:30:00.000001")},
                        kMnq, {T("13:00:00"), T("15:00:00")});
  EXPECT_EQ(Describe(p), (V{"green[13:59:00.000000,14:00:00.000000)", "green[14:00:00.000000,15:00:00.000000)"}));
  EXPECT_EQ(StoredOnly(p), (std::vector<bool>{true, false}));
  EXPECT_EQ(Gaps(p), (V{"13:00:00.000000,13:59:00.000000"}));
}

TEST(CoveragePlan, SessionsWinOverAnotherInstancesStoredFilesWhichBecomeFallbacks) {
  auto p = PlanCoverage({Row("blue", 1, "13:00:00", "13:00:00", "14:00:00"),
                         StoredRow("green", "13:30:00", "14:10:00")},
                        kMnq, {T("13:00:00"), T("14:10:00")});
  EXPECT_EQ(Describe(p), (V{"blue[13:00:00.000000,13:30:00.000000)", "blue[13:30:00.000000,14:00:00.000001)+green",
                            "green[14:00:00.000001,14:10:00.000000)"}));
  EXPECT_EQ(StoredOnly(p), (std::vector<bool>{false, false, true}));
  EXPECT_TRUE(p.gaps.empty());
}

TEST(CoveragePlan, TheLastInstantOfASessionStaysWithItWhenOnlyFilesFollow) {
  // An ingest session ends at its last tick 14:00; its files end there too (end exclusive + 1 µs).
  auto p = PlanCoverage({Row("ingest", 1, "13:00:00", "13:00:00", "14:00:00"),
                         StoredRow("ingest", "13:00:00", "14:00:00.000001")},
                        kMnq, {T("12:00:00"), T("15:00:00")});
  EXPECT_EQ(Describe(p), (V{"ingest[13:00:00.000000,14:00:00.000001)"}));
  EXPECT_EQ(StoredOnly(p), (std::vector<bool>{false}));
  EXPECT_EQ(Gaps(p), (V{"12:00:00.000000,13:00:00.000000", "14:00:00.000001,15:00:00.000000"}));
}

TEST(CoveragePlan, WithoutStoredRowsNothingChanges) {
  std::vector<CoverageRow> rows{Row("blue", 3, "13:00:00", "13:00:00", "15:00:00"),
                                Row("green", 7, "14:50:00", "14:50:00", "18:00:00")};
  auto p = PlanCoverage(rows, kMnq, {T("12:00:00"), T("19:00:00")});
  EXPECT_EQ(StoredOnly(p), (std::vector<bool>{false, false, false}));
}

}  // namespace
}  // namespace ibr::federation
