// Timestamp text: ISO-8601 <-> TimeUs, and N(w|d|h|m|s) durations.
//
// Parsing accepts what IB-Stream emits ("2025-08-01T01:04:51.911004Z",
// "+00:00" offsets, no fraction, a space instead of 'T') and what users type
// ("2025-03-10", "2025-03-10T14:30"); no zone means UTC. Formatting always
// gives microseconds and 'Z' ("2025-03-10T14:00:00.285000Z"), fixed width, so
// text order equals time order (the catalog relies on that). Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"

namespace ibr {

std::optional<TimeUs> ParseIsoTimestamp(std::string_view s);
std::string FormatIsoTimestamp(TimeUs t);
// Appends FormatIsoTimestamp(t) without allocating a new string (hot path).
void AppendIsoTimestamp(std::string& out, TimeUs t);
// "YYYY-MM-DD" of the UTC day containing t.
std::string FormatIsoDate(TimeUs t);

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
std::int64_t DaysFromCivil(int y, unsigned m, unsigned d);
void CivilFromDays(std::int64_t z, int& y, unsigned& m, unsigned& d);

// "1w", "3h", "2h30m", "90s", "1d12h": one or more <digits><unit>, units
// w d h m s, each at most once, largest first. Anything else is an error whose
// message quotes the input.
Result<TimeUs> ParseDuration(std::string_view s);
// Start time for a user-given time: ISO-8601 as above; error quotes the input.
Result<TimeUs> ParseUserTime(std::string_view s);

}  // namespace ibr
