// TimeUs <-> google.protobuf.Timestamp {seconds, nanos}, and parsing a
// Timestamp's bytes; shared by the tick codec and the file header. Microsecond precision: nanos are always whole
// microseconds when written; finer nanos are truncated (floor) when read.
// Pure, header-only; for format/ only.
#pragma once

#include <cstdint>
#include <optional>

#include <string_view>

#include "common/clock.h"
#include "format/wire.h"

namespace ibr::format {

// Timestamp's documented range: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z.
constexpr std::int64_t kMinTimestampSeconds = -62135596800;
constexpr std::int64_t kMaxTimestampSeconds = 253402300799;

// seconds = floor(t / 1e6), nanos in [0, 999'999'000] (negative times too).
inline void SplitTimeUs(TimeUs t, std::int64_t* seconds, std::int32_t* nanos) {
  std::int64_t s = t / kUsPerSecond;
  std::int64_t rem = t % kUsPerSecond;
  if (rem < 0) {
    rem += kUsPerSecond;
    --s;
  }
  *seconds = s;
  *nanos = static_cast<std::int32_t>(rem * 1000);
}

// nullopt when outside Timestamp's range or nanos outside [0, 1e9).
inline std::optional<TimeUs> JoinTimestamp(std::int64_t seconds, std::int64_t nanos) {
  if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds) return std::nullopt;
  if (nanos < 0 || nanos >= 1'000'000'000) return std::nullopt;
  return seconds * kUsPerSecond + nanos / 1000;
}

// Merges the bytes of one Timestamp message into seconds/nanos (protobuf merge
// semantics: later fields win; unknown fields skipped). False when malformed.
inline bool ParseTimestampMessage(std::string_view bytes, std::int64_t* seconds,
                                  std::int32_t* nanos) {
  wire::WireReader r(bytes);
  while (!r.done()) {
    std::uint32_t field, wt;
    if (!r.ReadTag(&field, &wt)) return false;
    if (wt == wire::kVarint && (field == 1 || field == 2)) {
      std::uint64_t v;
      if (!r.ReadVarint(&v)) return false;
      if (field == 1) {
        *seconds = static_cast<std::int64_t>(v);
      } else {
        *nanos = static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
      }
      continue;
    }
    if (!r.Skip(field, wt)) return false;
  }
  return true;
}

}  // namespace ibr::format
