// Value text for the encoders: doubles (shortest round-trip, always with a
// decimal point or exponent), integers, JSON-escaped strings, and ISO
// timestamps with a per-second cache. All append to a caller's std::string
// without allocating anything else (hot path).
//
// Pure functions, plus TimestampText which caches its last second: one per
// encoder, one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace ibr::query {

// Shortest text that reads back as the same double, as Python's repr prints
// it: fixed notation for 1e-4 <= |v| < 1e16 with at least one decimal ("8.0",
// "229.95"), else scientific ("1e-05", "1.5e+20"). Non-finite values (never
// stored: ingest rejects them) print as `null`.
void AppendDouble(std::string& out, double v);
void AppendUint(std::string& out, std::uint64_t v);
void AppendInt(std::string& out, std::int64_t v);
// `"` + s with JSON escapes (", \, control characters as \u00XX) + `"`.
void AppendJsonString(std::string& out, std::string_view s);

// AppendIsoTimestamp with the date-and-seconds part cached: ticks of the same
// second only format their microseconds. Output identical to AppendIsoTimestamp.
class TimestampText {
 public:
  void Append(std::string& out, TimeUs t);

 private:
  TimeUs cached_second_ = INT64_MIN;
  char prefix_[32] = {};  // "YYYY-MM-DDTHH:MM:SS."
  std::size_t prefix_len_ = 0;
  std::string scratch_;   // reused: no allocation once warm
};

}  // namespace ibr::query
