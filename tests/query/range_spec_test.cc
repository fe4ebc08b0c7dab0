// RangeSpec resolution against a manual clock.
#include "query/range_spec.h"

#include <gtest/gtest.h>

#include "query_test_util.h"

namespace ibr::query {
namespace {

using testing::T;

std::vector<TimeRange> Resolve(const RangeSpec& spec, TimeUs now) {
  ManualClock clock(now);
  auto r = ResolveRange(spec, clock);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::vector<TimeRange>{};
}

TEST(RangeSpecTest, AbsoluteRangeEndDefaultsToNow) {
  TimeUs now = T("2025-03-10T15:00:00Z");
  EXPECT_EQ(Resolve(AbsoluteRange{T("2025-03-10T14:30:00Z"), T("2025-03-10T14:45:00Z")}, now),
            (std::vector<TimeRange>{{T("2025-03-10T14:30:00Z"), T("2025-03-10T14:45:00Z")}}));
  EXPECT_EQ(Resolve(AbsoluteRange{T("2025-03-10T14:30:00Z"), std::nullopt}, now),
            (std::vector<TimeRange>{{T("2025-03-10T14:30:00Z"), now}}));
}

TEST(RangeSpecTest, AbsoluteRangeStartMustBeBeforeEnd) {
  ManualClock clock(T("2025-03-10T15:00:00Z"));
  auto equal = ResolveRange(AbsoluteRange{T("2025-03-10T14:00:00Z"), T("2025-03-10T14:00:00Z")}, clock);
  ASSERT_FALSE(equal.ok());
  EXPECT_EQ(equal.status().code(), StatusCode::kInvalidArgument);
  auto future = ResolveRange(AbsoluteRange{T("2025-03-10T16:00:00Z"), std::nullopt}, clock);
  ASSERT_FALSE(future.ok());
  EXPECT_NE(future.status().message().find("end defaults to now"), std::string::npos);
}

TEST(RangeSpecTest, LastDurationAndToday) {
  TimeUs now = T("2025-03-10T14:00:00.500000Z");
  EXPECT_EQ(Resolve(LastDuration{*ParseDuration("2h30m")}, now),
            (std::vector<TimeRange>{{T("2025-03-10T11:30:00.500000Z"), now}}));
  EXPECT_EQ(Resolve(Today{}, now), (std::vector<TimeRange>{{T("2025-03-10T00:00:00Z"), now}}));
}

TEST(RangeSpecTest, RelativePeriodsOfTheSeed) {
  TimeUs now = T("2025-03-10T14:00:00Z");
  EXPECT_EQ(Resolve(RelativePeriod{"last_hour"}, now), (std::vector<TimeRange>{{now - kUsPerHour, now}}));
  EXPECT_EQ(Resolve(RelativePeriod{"last_5_minutes"}, now),
            (std::vector<TimeRange>{{now - 5 * kUsPerMinute, now}}));
  EXPECT_EQ(Resolve(RelativePeriod{"last_week"}, now), (std::vector<TimeRange>{{now - 7 * kUsPerDay, now}}));
  EXPECT_EQ(Resolve(RelativePeriod{"last_month"}, now), (std::vector<TimeRange>{{now - 30 * kUsPerDay, now}}));
  auto bad = RelativePeriodDuration("last_year");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'last_year'"), std::string::npos);
  EXPECT_NE(bad.status().message().find("last_day"), std::string::npos);
}

TEST(RangeSpecTest, SinceOpenAndSession) {
  TimeUs now = T("2025-03-10T15:00:00Z");
  EXPECT_EQ(Resolve(SinceOpen{Market::kUS}, now), (std::vector<TimeRange>{{T("2025-03-10T13:30:00Z"), now}}));
  EXPECT_EQ(Resolve(SessionOn{Market::kUS, SessionType::kRegular, LocalDate{2025, 3, 7}}, now),
            (std::vector<TimeRange>{{T("2025-03-07T14:30:00Z"), T("2025-03-07T21:00:00Z")}}));
}

TEST(RangeSpecTest, SessionWithoutDateIsTodayInTheExchangeZone) {
  TimeUs now = T("2025-03-10T03:00:00Z");  // still Sunday the 9th in New York
  EXPECT_EQ(Resolve(SessionOn{Market::kUS, SessionType::kRegular, std::nullopt}, now),
            (std::vector<TimeRange>{{T("2025-03-09T13:30:00Z"), T("2025-03-09T20:00:00Z")}}));
  EXPECT_EQ(Resolve(SessionOn{Market::kJP, SessionType::kRegular, std::nullopt}, now),
            (std::vector<TimeRange>{{T("2025-03-10T00:00:00Z"), T("2025-03-10T06:00:00Z")}}));
}

TEST(RangeSpecTest, PreviousSessionsOldestFirst) {
  auto r = Resolve(PreviousSessionsSpec{Market::kUS, SessionType::kRegular, 2}, T("2025-03-10T12:00:00Z"));
  EXPECT_EQ(r, (std::vector<TimeRange>{{T("2025-03-06T14:30:00Z"), T("2025-03-06T21:00:00Z")},
                                       {T("2025-03-07T14:30:00Z"), T("2025-03-07T21:00:00Z")}}));
}

TEST(RangeSpecTest, TimeRangeIsHalfOpen) {
  TimeRange r{100, 200};
  EXPECT_TRUE(r.Contains(100));
  EXPECT_TRUE(r.Contains(199));
  EXPECT_FALSE(r.Contains(200));
  EXPECT_FALSE(r.Contains(99));
  EXPECT_TRUE((TimeRange{5, 5}).Empty());
}

}  // namespace
}  // namespace ibr::query
