// ContinuityCheck on real storage roots (Store-written files + catalogs): gap
// within / over the tolerance, equal and unequal overlaps, a missing side,
// contract filter, unreadable storage; and the --max-gap / --contracts parsers.
#include "migration/continuity_check.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "migration/contract_list.h"
#include "migration/gap_tolerance.h"
#include "migration/migration_test_util.h"

namespace ibr::migration {
namespace {

using ibr::testing::QuotesEverySecond;
using ibr::testing::Slice;
using ibr::testing::T;
using ibr::testing::TempDir;
using ibr::testing::WriteTicks;

class ContinuityCheckTest : public ibr::testing::TwoRootsTest {
 protected:
  Result<ContinuityReport> Check(TimeUs max_gap = 5 * kUsPerSecond, std::vector<std::uint32_t> contracts = {}) {
    ContinuityOptions o;
    o.source_root = Blue();
    o.target_root = Green();
    o.max_gap = max_gap;
    o.contracts = std::move(contracts);
    o.compare_slice = 7 * kUsPerSecond;  // several slices over the overlaps below
    return CheckContinuity(PosixFileSystem::Instance(), o, clock_);
  }
};

TEST_F(ContinuityCheckTest, GapWithinToleranceIsOk) {
  WriteTicks(Blue(), "blue", Slice(feed_, t0_, 0, 60), clock_);   // last tick at +59 s
  WriteTicks(Green(), "green", Slice(feed_, t0_, 63, 120), clock_);  // first at +63 s: 4 s gap
  auto r = Check();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->contracts.size(), 1u);
  EXPECT_TRUE(r->ok) << ContinuityText(*r);
  EXPECT_EQ(r->contracts[0].gap, 4 * kUsPerSecond);
  EXPECT_EQ(*r->contracts[0].source_last, t0_ + 59 * kUsPerSecond);
  EXPECT_EQ(*r->contracts[0].target_first, t0_ + 63 * kUsPerSecond);
}

TEST_F(ContinuityCheckTest, GapOverToleranceFailsAndSaysSo) {
  WriteTicks(Blue(), "blue", Slice(feed_, t0_, 0, 60), clock_);
  WriteTicks(Green(), "green", Slice(feed_, t0_, 70, 120), clock_);  // 11 s gap
  auto r = Check();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->contracts[0].gap, 11 * kUsPerSecond);
  EXPECT_NE(r->contracts[0].problem.find("exceeds --max-gap 5s"), std::string::npos) << r->contracts[0].problem;
  // The same gap passes a larger tolerance, and fails a millisecond one.
  EXPECT_TRUE(Check(12 * kUsPerSecond)->ok);
  EXPECT_FALSE(Check(500 * 1000)->ok);
  const auto j = nlohmann::json::parse(ContinuityJson(*r));
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["contracts"][0]["gap_seconds"], 11.0);
  EXPECT_EQ(j["contracts"][0]["source_last_tick"], "2025-03-10T14:00:59.000000Z");
}

TEST_F(ContinuityCheckTest, EqualOverlapIsOkDespiteOwnStreamIdsAndArrivalOrder) {
  WriteTicks(Blue(), "blue", Slice(feed_, t0_, 0, 80), clock_);
  auto green = Slice(feed_, t0_, 50, 120);  // 30 s of overlap
  for (Tick& t : green) t.stream_id = "green_subscription";  // each instance has its own subscription
  WriteTicks(Green(), "green", green, clock_);
  auto r = Check();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->ok) << ContinuityText(*r);
  EXPECT_EQ(r->contracts[0].overlap, 29 * kUsPerSecond);
  EXPECT_EQ(r->contracts[0].overlap_source_ticks, 30u);
  EXPECT_EQ(r->contracts[0].overlap_target_ticks, 30u);
  EXPECT_EQ(r->contracts[0].mismatched, 0u);
}

TEST_F(ContinuityCheckTest, UnequalOverlapFailsNamingTheTick) {
  WriteTicks(Blue(), "blue", Slice(feed_, t0_, 0, 80), clock_);
  auto green = Slice(feed_, t0_, 50, 120);
  green[10].bid_price = 1.0;  // +60 s differs
  WriteTicks(Green(), "green", green, clock_);
  auto r = Check();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->contracts[0].mismatched, 2u);  // the source's and the target's version
  EXPECT_NE(r->contracts[0].first_mismatch.find("2025-03-10T14:01:00.000000Z"), std::string::npos)
      << r->contracts[0].first_mismatch;
}

TEST_F(ContinuityCheckTest, MissingTickInOverlapFails) {
  WriteTicks(Blue(), "blue", Slice(feed_, t0_, 0, 80), clock_);
  auto green = Slice(feed_, t0_, 50, 120);
  green.erase(green.begin() + 5);
  WriteTicks(Green(), "green", green, clock_);
  auto r = Check();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->contracts[0].mismatched, 1u);
  EXPECT_NE(r->contracts[0].first_mismatch.find("only in the source"), std::string::npos);
}

TEST_F(ContinuityCheckTest, ContractTheTargetDoesNotRecordFails) {
  auto blue = Slice(feed_, t0_, 0, 60);
  auto other = QuotesEverySecond(711280073, t0_, 60, 20000);
  blue.insert(blue.end(), other.begin(), other.end());
  WriteTicks(Blue(), "blue", blue, clock_);
  WriteTicks(Green(), "green", Slice(feed_, t0_, 60, 120), clock_);
  auto r = Check();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok);
  ASSERT_EQ(r->contracts.size(), 2u);
  EXPECT_TRUE(r->contracts[0].ok);  // 265598
  EXPECT_FALSE(r->contracts[1].ok);
  EXPECT_NE(r->contracts[1].problem.find("no ticks in the target"), std::string::npos);
  // Restricted to the contract that moved, it passes.
  EXPECT_TRUE(Check(5 * kUsPerSecond, {265598})->ok);
}

TEST_F(ContinuityCheckTest, UnreadableStorageIsAnErrorNotAVerdict) {
  WriteTicks(Blue(), "blue", Slice(feed_, t0_, 0, 60), clock_);
  auto r = Check();  // Green() has no catalog
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("target storage " + Green()), std::string::npos) << r.status().message();
}

TEST(GapToleranceTest, AcceptsMillisecondsSecondsMinutes) {
  EXPECT_EQ(*ParseGapTolerance("500ms"), 500'000);
  EXPECT_EQ(*ParseGapTolerance("5s"), 5 * kUsPerSecond);
  EXPECT_EQ(*ParseGapTolerance("2m"), 2 * kUsPerMinute);
  EXPECT_EQ(*ParseGapTolerance("1m30s"), 90 * kUsPerSecond);
  for (const char* bad : {"", "5", "5 s", "-5s", "ms", "1.5s", "5sec"}) {
    auto r = ParseGapTolerance(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find(std::string("'") + bad + "'"), std::string::npos);
  }
  EXPECT_EQ(GapToleranceText(500'000), "500ms");
  EXPECT_EQ(GapToleranceText(5 * kUsPerSecond), "5s");
}

TEST(ContractIdsTest, ParsesAndRefusesNamingTheItem) {
  EXPECT_EQ(*ParseContractIds("265598,4294967295,265598"), (std::vector<std::uint32_t>{265598, 4294967295u}));
  EXPECT_TRUE(ParseContractIds("")->empty());
  for (const char* bad : {"0", "x", "1,,2", "4294967296", "1,"}) {
    auto r = ParseContractIds(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
  EXPECT_NE(ParseContractIds("12,abc").status().message().find("'abc'"), std::string::npos);
}

}  // namespace
}  // namespace ibr::migration
