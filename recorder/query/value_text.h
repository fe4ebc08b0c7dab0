// Value text for the encoders: doubles (shortest round-trip, always with a
// decimal point or exponent), integers, JSON-escaped strings, and ISO
// timestamps with a per-second cache.
//
// Two forms: Write* put text at a raw pointer into space the caller has made
// (the per-tick hot path: one capacity check per tick, no allocation) and
// return the new end; Append* append to a std::string. Pure functions, plus
// TimestampText which caches its last second: one per encoder, one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace ibr::query {

// Most bytes each Write* can produce.
constexpr std::size_t kMaxDoubleText = 32;
constexpr std::size_t kMaxIntText = 20;
constexpr std::size_t kTimestampText = 27;  // "2025-03-10T14:00:00.285000Z" (years 0000-9999)
constexpr std::size_t MaxJsonStringText(std::size_t n) { return 6 * n + 2; }

// Shortest text that reads back as the same double, as Python's repr prints
// it: fixed notation for 1e-4 <= |v| < 1e16 with at least one decimal ("8.0",
// "229.95"), else scientific ("1e-05", "1.5e+20"). Non-finite values (never
// stored: ingest rejects them) print as `null`.
char* WriteDouble(char* p, double v);
char* WriteUint(char* p, std::uint64_t v);
char* WriteInt(char* p, std::int64_t v);
// `"` + s with JSON escapes (", \, control characters) + `"`.
char* WriteJsonString(char* p, std::string_view s);

void AppendDouble(std::string& out, double v);
void AppendUint(std::string& out, std::uint64_t v);
void AppendInt(std::string& out, std::int64_t v);
void AppendJsonString(std::string& out, std::string_view s);

// The text of AppendIsoTimestamp with the date-and-seconds part cached: ticks
// of the same second only format their microseconds.
class TimestampText {
 public:
  // Writes kTimestampText bytes for years 0000-9999; for others, up to 40.
  char* Write(char* p, TimeUs t);
  void Append(std::string& out, TimeUs t);

 private:
  TimeUs cached_second_ = INT64_MIN;
  char prefix_[20] = {};  // "YYYY-MM-DDTHH:MM:SS."
  bool cacheable_ = false;
  std::string scratch_;   // reused: no allocation once warm
};

}  // namespace ibr::query
