// Gap tolerance text: ms terms here, the rest through ParseDuration.
#include "migration/gap_tolerance.h"

#include <cctype>

#include "common/time_text.h"

namespace ibr::migration {

Result<TimeUs> ParseGapTolerance(std::string_view text) {
  const auto bad = [&] {
    return Status::InvalidArgument("--max-gap '" + std::string(text) +
                                   "': expected a duration such as 500ms, 5s, 2m or 1m30s");
  };
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
    const std::string_view digits = text.substr(0, text.size() - 2);
    if (digits.empty() || digits.size() > 12) return bad();
    TimeUs ms = 0;
    for (char c : digits) {
      if (std::isdigit(static_cast<unsigned char>(c)) == 0) return bad();
      ms = ms * 10 + (c - '0');
    }
    return ms * 1000;
  }
  auto d = ParseDuration(text);
  if (!d.ok()) return bad();
  return *d;
}

std::string GapToleranceText(TimeUs us) {
  if (us % kUsPerSecond != 0) return std::to_string(us / 1000) + "ms";
  return std::to_string(us / kUsPerSecond) + "s";
}

}  // namespace ibr::migration
