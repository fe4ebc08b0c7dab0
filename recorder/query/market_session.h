// MarketSession: the trading sessions of the seed's markets (US, UK, JP) as
// UTC time ranges, DST-correct through the OS tz database (date/tz).
//
// Owns the session table; pure functions of their arguments (the tz database
// is loaded once, thread-safely). Any thread may call. No holiday calendar:
// every Monday-Friday of the exchange's zone is a trading day.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "query/time_range.h"

namespace ibr::query {

enum class Market { kUS, kUK, kJP };

// Session times, local to the market's zone (America/New_York, Europe/London,
// Asia/Tokyo):
//   US  pre_market 04:00-09:30, regular 09:30-16:00, after_hours 16:00-20:00,
//       extended 04:00-20:00, overnight 20:00 of the previous day - 04:00.
//   UK  regular 08:00-16:30, extended 07:00-17:30.
//   JP  morning 09:00-11:30, afternoon 12:30-15:00, regular 09:00-15:00.
// The seed defines US overnight as 00:00-23:59 of the day (the whole day, not
// a session); here it is the session that ends at 04:00 on the given date, so
// the overnight session of Monday starts Sunday 20:00 New York time.
enum class SessionType { kPreMarket, kRegular, kAfterHours, kExtended, kOvernight, kMorning, kAfternoon };

// A calendar date in the market's zone.
struct LocalDate {
  int year = 1970;
  unsigned month = 1;
  unsigned day = 1;
  bool operator==(const LocalDate&) const = default;
};

// "US", "UK", "JP" (case-insensitive). Error names the valid ones.
Result<Market> ParseMarket(std::string_view s);
std::string_view MarketName(Market m);
// "regular", "pre_market", ... valid for `m`; error names the valid ones for that market.
Result<SessionType> ParseSessionType(Market m, std::string_view s);
std::string_view SessionTypeName(SessionType t);
// "YYYY-MM-DD"; error quotes the input.
Result<LocalDate> ParseLocalDate(std::string_view s);
std::string FormatLocalDate(const LocalDate& d);

// The IANA zone of a market ("America/New_York", ...).
std::string_view MarketTimeZone(Market m);

// The date in the market's zone at instant `t`. FailedPrecondition when the OS
// tz database lacks the zone (install tzdata).
Result<LocalDate> MarketDate(Market m, TimeUs t);

// The session of `type` on `date` (a pure calendar computation: weekends give
// bounds too). InvalidArgument when the market has no such session.
Result<TimeRange> SessionBounds(Market m, SessionType type, const LocalDate& date);

// The last `n` sessions of `type` on trading days (Monday-Friday in the
// market's zone, by session date) whose start <= now, most recent first. A
// session that has started but not ended counts (its range ends at the
// session end, after now). n must be in [1, 10000].
Result<std::vector<TimeRange>> PreviousSessions(Market m, SessionType type, int n, TimeUs now);

// Start of the most recent regular session that opened at or before `now` on
// a trading day (on a weekend or before Monday's open: Friday's open).
Result<TimeUs> CurrentSessionStart(Market m, TimeUs now);

}  // namespace ibr::query
