// Market sessions: DST changes (US Mar 9 / Nov 2 2025, UK Mar 30 / Oct 26
// 2025), JP without DST, trading days, overnight, errors.
#include "query/market_session.h"

#include <gtest/gtest.h>

#include "query_test_util.h"

namespace ibr::query {
namespace {

using testing::T;

TimeRange Bounds(Market m, SessionType t, int y, unsigned mo, unsigned d) {
  auto r = SessionBounds(m, t, LocalDate{y, mo, d});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : TimeRange{};
}

TEST(MarketSessionTest, UsRegularAcrossSpringDstChange) {
  // Friday before the change: EST (UTC-5).
  EXPECT_EQ(Bounds(Market::kUS, SessionType::kRegular, 2025, 3, 7),
            (TimeRange{T("2025-03-07T14:30:00Z"), T("2025-03-07T21:00:00Z")}));
  // Monday after: EDT (UTC-4).
  EXPECT_EQ(Bounds(Market::kUS, SessionType::kRegular, 2025, 3, 10),
            (TimeRange{T("2025-03-10T13:30:00Z"), T("2025-03-10T20:00:00Z")}));
}

TEST(MarketSessionTest, UsRegularAcrossAutumnDstChange) {
  EXPECT_EQ(Bounds(Market::kUS, SessionType::kRegular, 2025, 10, 31),
            (TimeRange{T("2025-10-31T13:30:00Z"), T("2025-10-31T20:00:00Z")}));
  EXPECT_EQ(Bounds(Market::kUS, SessionType::kRegular, 2025, 11, 3),
            (TimeRange{T("2025-11-03T14:30:00Z"), T("2025-11-03T21:00:00Z")}));
}

TEST(MarketSessionTest, UsOtherSessions) {
  EXPECT_EQ(Bounds(Market::kUS, SessionType::kPreMarket, 2025, 3, 10),
            (TimeRange{T("2025-03-10T08:00:00Z"), T("2025-03-10T13:30:00Z")}));
  EXPECT_EQ(Bounds(Market::kUS, SessionType::kAfterHours, 2025, 3, 10),
            (TimeRange{T("2025-03-10T20:00:00Z"), T("2025-03-11T00:00:00Z")}));
  EXPECT_EQ(Bounds(Market::kUS, SessionType::kExtended, 2025, 3, 7),
            (TimeRange{T("2025-03-07T09:00:00Z"), T("2025-03-08T01:00:00Z")}));
}

TEST(MarketSessionTest, UsOvernightStartsTheEveningBefore) {
  // Monday's overnight: Sunday 20:00 EDT -> Monday 04:00 EDT.
  EXPECT_EQ(Bounds(Market::kUS, SessionType::kOvernight, 2025, 3, 10),
            (TimeRange{T("2025-03-10T00:00:00Z"), T("2025-03-10T08:00:00Z")}));
  // Across the change itself (Sunday Mar 9 02:00): Saturday 20:00 EST -> Sunday
  // 04:00 EDT is 7 hours.
  EXPECT_EQ(Bounds(Market::kUS, SessionType::kOvernight, 2025, 3, 9),
            (TimeRange{T("2025-03-09T01:00:00Z"), T("2025-03-09T08:00:00Z")}));
}

TEST(MarketSessionTest, UkAcrossBothDstChanges) {
  // GMT until Sunday 2025-03-30, BST until Sunday 2025-10-26.
  EXPECT_EQ(Bounds(Market::kUK, SessionType::kRegular, 2025, 3, 28),
            (TimeRange{T("2025-03-28T08:00:00Z"), T("2025-03-28T16:30:00Z")}));
  EXPECT_EQ(Bounds(Market::kUK, SessionType::kRegular, 2025, 3, 31),
            (TimeRange{T("2025-03-31T07:00:00Z"), T("2025-03-31T15:30:00Z")}));
  EXPECT_EQ(Bounds(Market::kUK, SessionType::kExtended, 2025, 10, 24),
            (TimeRange{T("2025-10-24T06:00:00Z"), T("2025-10-24T16:30:00Z")}));
  EXPECT_EQ(Bounds(Market::kUK, SessionType::kExtended, 2025, 10, 27),
            (TimeRange{T("2025-10-27T07:00:00Z"), T("2025-10-27T17:30:00Z")}));
}

TEST(MarketSessionTest, JapanHasNoDst) {
  for (unsigned month : {1u, 3u, 7u, 11u}) {
    EXPECT_EQ(Bounds(Market::kJP, SessionType::kRegular, 2025, month, 10),
              (TimeRange{T("2025-" + std::string(month < 10 ? "0" : "") + std::to_string(month) + "-10T00:00:00Z"),
                         T("2025-" + std::string(month < 10 ? "0" : "") + std::to_string(month) + "-10T06:00:00Z")}));
  }
  EXPECT_EQ(Bounds(Market::kJP, SessionType::kMorning, 2025, 3, 10),
            (TimeRange{T("2025-03-10T00:00:00Z"), T("2025-03-10T02:30:00Z")}));
  EXPECT_EQ(Bounds(Market::kJP, SessionType::kAfternoon, 2025, 3, 10),
            (TimeRange{T("2025-03-10T03:30:00Z"), T("2025-03-10T06:00:00Z")}));
}

TEST(MarketSessionTest, ParseNamesAndErrorsNameTheValidOnes) {
  EXPECT_EQ(*ParseMarket("us"), Market::kUS);
  EXPECT_EQ(*ParseMarket("JP"), Market::kJP);
  auto bad = ParseMarket("EU");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("'EU'"), std::string::npos);
  EXPECT_NE(bad.status().message().find("US, UK, JP"), std::string::npos);

  EXPECT_EQ(*ParseSessionType(Market::kUS, "after_hours"), SessionType::kAfterHours);
  auto jp = ParseSessionType(Market::kJP, "pre_market");
  ASSERT_FALSE(jp.ok());
  EXPECT_NE(jp.status().message().find("morning, afternoon, regular"), std::string::npos);

  auto none = SessionBounds(Market::kUK, SessionType::kMorning, LocalDate{2025, 3, 10});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(none.status().message().find("regular, extended"), std::string::npos);
}

TEST(MarketSessionTest, ParseLocalDate) {
  EXPECT_EQ(*ParseLocalDate("2024-02-29"), (LocalDate{2024, 2, 29}));
  for (const char* bad : {"2025-02-29", "2025-3-1", "tomorrow", "2025-03-10T00:00", ""}) {
    auto r = ParseLocalDate(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("'" + std::string(bad) + "'"), std::string::npos);
  }
  EXPECT_EQ(FormatLocalDate(LocalDate{2025, 3, 7}), "2025-03-07");
}

TEST(MarketSessionTest, MarketDateIsTheExchangeZonesDate) {
  TimeUs t = T("2025-03-10T03:00:00Z");  // Sunday 23:00 in New York, Monday noon in Tokyo
  EXPECT_EQ(*MarketDate(Market::kUS, t), (LocalDate{2025, 3, 9}));
  EXPECT_EQ(*MarketDate(Market::kUK, t), (LocalDate{2025, 3, 10}));
  EXPECT_EQ(*MarketDate(Market::kJP, t), (LocalDate{2025, 3, 10}));
}

TEST(MarketSessionTest, PreviousSessionsSkipTheWeekend) {
  // Monday 2025-03-10 08:00 EDT, before the open.
  auto r = PreviousSessions(Market::kUS, SessionType::kRegular, 2, T("2025-03-10T12:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0], Bounds(Market::kUS, SessionType::kRegular, 2025, 3, 7));  // Friday
  EXPECT_EQ((*r)[1], Bounds(Market::kUS, SessionType::kRegular, 2025, 3, 6));  // Thursday

  auto five = PreviousSessions(Market::kUS, SessionType::kRegular, 5, T("2025-03-10T12:00:00Z"));
  ASSERT_TRUE(five.ok());
  ASSERT_EQ(five->size(), 5u);
  EXPECT_EQ(five->back(), Bounds(Market::kUS, SessionType::kRegular, 2025, 3, 3));  // the Monday before
}

TEST(MarketSessionTest, PreviousSessionsCountTheSessionInProgressFromItsStart) {
  TimeUs open = T("2025-03-10T13:30:00Z");
  auto before = PreviousSessions(Market::kUS, SessionType::kRegular, 1, open - 1);
  auto at = PreviousSessions(Market::kUS, SessionType::kRegular, 1, open);
  ASSERT_TRUE(before.ok() && at.ok());
  EXPECT_EQ(before->front(), Bounds(Market::kUS, SessionType::kRegular, 2025, 3, 7));
  EXPECT_EQ(at->front(), Bounds(Market::kUS, SessionType::kRegular, 2025, 3, 10));
  // On Saturday: Friday, then Thursday.
  auto sat = PreviousSessions(Market::kUK, SessionType::kRegular, 2, T("2025-03-08T12:00:00Z"));
  ASSERT_TRUE(sat.ok());
  EXPECT_EQ((*sat)[0], Bounds(Market::kUK, SessionType::kRegular, 2025, 3, 7));
  EXPECT_EQ((*sat)[1], Bounds(Market::kUK, SessionType::kRegular, 2025, 3, 6));
}

TEST(MarketSessionTest, PreviousOvernightSessionsBelongToTradingDays) {
  // Sunday 21:00 EDT: Monday's overnight has started; Saturday's and Sunday's do not exist.
  auto r = PreviousSessions(Market::kUS, SessionType::kOvernight, 2, T("2025-03-10T01:00:00Z"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0], Bounds(Market::kUS, SessionType::kOvernight, 2025, 3, 10));
  EXPECT_EQ((*r)[1], Bounds(Market::kUS, SessionType::kOvernight, 2025, 3, 7));
}

TEST(MarketSessionTest, PreviousSessionsRejectsBadCounts) {
  EXPECT_EQ(PreviousSessions(Market::kUS, SessionType::kRegular, 0, 0).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(PreviousSessions(Market::kJP, SessionType::kOvernight, 1, 0).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(MarketSessionTest, CurrentSessionStart) {
  EXPECT_EQ(*CurrentSessionStart(Market::kUS, T("2025-03-11T15:00:00Z")), T("2025-03-11T13:30:00Z"));
  // After the close: still today's open.
  EXPECT_EQ(*CurrentSessionStart(Market::kUS, T("2025-03-11T23:00:00Z")), T("2025-03-11T13:30:00Z"));
  // Weekend and Monday before the open: Friday's.
  EXPECT_EQ(*CurrentSessionStart(Market::kUS, T("2025-03-08T15:00:00Z")), T("2025-03-07T14:30:00Z"));
  EXPECT_EQ(*CurrentSessionStart(Market::kUS, T("2025-03-10T13:29:59Z")), T("2025-03-07T14:30:00Z"));
  EXPECT_EQ(*CurrentSessionStart(Market::kUS, T("2025-03-10T13:30:00Z")), T("2025-03-10T13:30:00Z"));
  EXPECT_EQ(*CurrentSessionStart(Market::kJP, T("2025-03-10T01:00:00Z")), T("2025-03-10T00:00:00Z"));
}

}  // namespace
}  // namespace ibr::query
