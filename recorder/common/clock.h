// Clock: the one source of "now" for the recorder and the sync agent.
//
// Time is microseconds since the Unix epoch, UTC (TimeUs). Production code
// takes a Clock& so tests run hour rollover, seal grace, retention and backoff
// on simulated time (ManualClock). Both implementations are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>

namespace ibr {

using TimeUs = std::int64_t;  // microseconds since 1970-01-01T00:00:00Z

constexpr TimeUs kUsPerSecond = 1'000'000;
constexpr TimeUs kUsPerMinute = 60 * kUsPerSecond;
constexpr TimeUs kUsPerHour = 60 * kUsPerMinute;
constexpr TimeUs kUsPerDay = 24 * kUsPerHour;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeUs Now() const = 0;            // wall clock, UTC
  virtual std::int64_t MonotonicUs() const = 0;  // for intervals only
};

class SystemClock final : public Clock {
 public:
  TimeUs Now() const override;
  std::int64_t MonotonicUs() const override;
  static SystemClock& Instance();
};

// Simulated time for tests: starts where told, moves only when told.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimeUs start) : now_(start) {}
  TimeUs Now() const override { return now_.load(); }
  std::int64_t MonotonicUs() const override { return now_.load(); }
  void Set(TimeUs t) { now_.store(t); }
  void Advance(TimeUs d) { now_.fetch_add(d); }

 private:
  std::atomic<TimeUs> now_;
};

inline TimeUs HourBucket(TimeUs t) {
  TimeUs b = t - (t % kUsPerHour);
  return (t % kUsPerHour < 0) ? b - kUsPerHour : b;
}

}  // namespace ibr
