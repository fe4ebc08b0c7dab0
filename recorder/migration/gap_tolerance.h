// Gap tolerance text for `--max-gap`: the DESIGN durations (5s, 2m, 1m30s, 1h)
// plus milliseconds ("500ms", "1s500ms" is not accepted: one ms term alone).
// Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"

namespace ibr::migration {

// InvalidArgument quoting the input for anything else (empty, negative, "5", "5 s").
Result<TimeUs> ParseGapTolerance(std::string_view text);
// "500ms", "5s", "2m", "90s" style text of a tolerance, for messages and JSON.
std::string GapToleranceText(TimeUs us);

}  // namespace ibr::migration
