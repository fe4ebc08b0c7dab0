// RangeSpec: the ways a user says what time a query covers (start/end, last
// 2h, today, since the open, a session, the previous N sessions, the seed's
// "last_hour" names) and their resolution into half-open UTC ranges.
//
// Plain values and pure functions; "now" comes from the Clock passed in. Any
// thread may call.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "query/market_session.h"
#include "query/time_range.h"

namespace ibr::query {

struct AbsoluteRange {         // --start T [--end T]; end defaults to now
  TimeUs start = 0;
  std::optional<TimeUs> end;
};
struct LastDuration {          // --last 2h30m: [now - d, now)
  TimeUs duration = 0;
};
struct Today {};               // --today: [00:00 UTC of today, now) (the seed's definition)
struct SinceOpen {             // --since-open: [CurrentSessionStart(market, now), now)
  Market market = Market::kUS;
};
struct SessionOn {             // --session TYPE [--date D]: that session's bounds
  Market market = Market::kUS;
  SessionType type = SessionType::kRegular;
  std::optional<LocalDate> date;  // unset: today in the market's zone
};
struct PreviousSessionsSpec {  // --previous-sessions N: N ranges (PreviousSessions), oldest first
  Market market = Market::kUS;
  SessionType type = SessionType::kRegular;
  int n = 1;
};
struct RelativePeriod {        // the seed's names: last_hour, last_5_minutes, last_day, ...
  std::string name;
};

using RangeSpec = std::variant<AbsoluteRange, LastDuration, Today, SinceOpen, SessionOn,
                               PreviousSessionsSpec, RelativePeriod>;

// The seed's relative periods: last_minute, last_5_minutes, last_15_minutes,
// last_30_minutes, last_hour, last_2_hours, last_4_hours, last_day, last_week,
// last_month (= 30 days). Error names the valid ones.
Result<TimeUs> RelativePeriodDuration(std::string_view name);

// Resolves `spec` against clock.Now(): disjoint ranges, oldest first (exactly
// one for every form but PreviousSessionsSpec). InvalidArgument when an
// absolute range has start >= end (saying so when end defaulted to now).
// Computed forms may yield an empty range (e.g. --today at 00:00:00 UTC).
Result<std::vector<TimeRange>> ResolveRange(const RangeSpec& spec, const Clock& clock);

}  // namespace ibr::query
