// MinuteWindow: counts per wall-clock minute over the last 30 minutes (the
// status page's tick-rate sparklines), in a fixed ring: no allocation per
// event. Plain value; the writer thread fills it and publishes copies.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "common/clock.h"

namespace ibr::daemon {

class MinuteWindow {
 public:
  static constexpr int kMinutes = 30;

  void Add(TimeUs wall, std::uint32_t n = 1) {
    std::int64_t m = MinuteOf(wall);
    auto i = static_cast<std::size_t>(m % kMinutes);
    if (minute_[i] != m) {
      minute_[i] = m;
      count_[i] = 0;
    }
    count_[i] += n;
  }
  // The kMinutes minutes ending with the one holding `now`, oldest first.
  std::vector<std::uint32_t> Last(TimeUs now) const {
    std::vector<std::uint32_t> out(kMinutes, 0);
    std::int64_t last = MinuteOf(now);
    for (int k = 0; k < kMinutes; ++k) {
      std::int64_t m = last - (kMinutes - 1) + k;
      if (m < 0) continue;
      auto i = static_cast<std::size_t>(m % kMinutes);
      if (minute_[i] == m) out[static_cast<std::size_t>(k)] = count_[i];
    }
    return out;
  }

 private:
  static std::int64_t MinuteOf(TimeUs t) { return t < 0 ? 0 : t / kUsPerMinute; }
  std::array<std::int64_t, kMinutes> minute_{};
  std::array<std::uint32_t, kMinutes> count_{};
};

}  // namespace ibr::daemon
