// time_text: ISO-8601 parsing/formatting and durations.
#include "common/time_text.h"

#include <gtest/gtest.h>

namespace ibr {
namespace {

TEST(TimeText, ParsesWhatUpstreamSends) {
  EXPECT_EQ(*ParseIsoTimestamp("2025-08-01T01:04:51.911004Z"), 1754010291911004);
  EXPECT_EQ(*ParseIsoTimestamp("2025-08-01T01:04:51.911004+00:00"), 1754010291911004);
  EXPECT_EQ(*ParseIsoTimestamp("2025-08-01T01:04:51Z"), 1754010291000000);
  EXPECT_EQ(*ParseIsoTimestamp("2025-08-01 01:04:51"), 1754010291000000);
  EXPECT_EQ(*ParseIsoTimestamp("2025-08-01T03:04:51+02:00"), 1754010291000000);
  EXPECT_EQ(*ParseIsoTimestamp("2025-08-01"), 1754006400000000);
  EXPECT_EQ(*ParseIsoTimestamp("2025-08-01T01:04:51.9Z"), 1754010291900000);
}

TEST(TimeText, RejectsWhatIsNotATime) {
  for (const char* bad : {"", "yesterday", "2025-13-01", "2025-02-30", "2025-02-29T00:00:00Z", "2025-08-01T25:00:00Z",
                          "2025-08-01T01:04:51ZZ", "2025-08-01T01:04:51.Z", "2025-08-01T01:04:51.1234567890Z"}) {
    EXPECT_FALSE(ParseIsoTimestamp(bad).has_value()) << bad;
  }
  EXPECT_TRUE(ParseIsoTimestamp("2024-02-29T00:00:00Z").has_value());
}

TEST(TimeText, FormatsFixedWidthMicroseconds) {
  EXPECT_EQ(FormatIsoTimestamp(1741615200285000), "2025-03-10T14:00:00.285000Z");
  EXPECT_EQ(FormatIsoTimestamp(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatIsoDate(1741615200285000), "2025-03-10");
  for (TimeUs t : {TimeUs{946684800000000}, TimeUs{1741615200285001}, TimeUs{4102444799999999}}) {
    EXPECT_EQ(*ParseIsoTimestamp(FormatIsoTimestamp(t)), t);
  }
}

TEST(TimeText, Durations) {
  EXPECT_EQ(*ParseDuration("1w"), 7 * kUsPerDay);
  EXPECT_EQ(*ParseDuration("3h"), 3 * kUsPerHour);
  EXPECT_EQ(*ParseDuration("2h30m"), 150 * kUsPerMinute);
  EXPECT_EQ(*ParseDuration("90s"), 90 * kUsPerSecond);
  EXPECT_EQ(*ParseDuration("1d12h"), 36 * kUsPerHour);
  for (const char* bad : {"", "h", "5", "1x", "30m2h", "1h1h", "-1h", "0s", "1.5h", "99999999w", " 1h"}) {
    auto r = ParseDuration(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find(std::string("'") + bad + "'"), std::string::npos) << r.status().message();
  }
}

TEST(TimeText, HourBucket) {
  EXPECT_EQ(HourBucket(1741615200285000), 1741615200000000);
  EXPECT_EQ(HourBucket(1741615199999999), 1741611600000000);
}

}  // namespace
}  // namespace ibr
