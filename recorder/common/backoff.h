// Backoff: exponential retry delays with jitter, for anything that reconnects
// (the sse source's upstream streams, ib-sync's PostgreSQL). Returns delays,
// never sleeps; the random source and the Clock are injected so tests are
// deterministic. One per retrying loop, used by one thread.
#pragma once

#include <functional>

#include "common/clock.h"

namespace ibr {

// kFull: uniform in [0, bound] (spreads reconnects most widely);
// kEqual: uniform in [bound/2, bound] (never zero).
enum class Jitter { kFull, kEqual };

struct BackoffPolicy {
  TimeUs initial = 2 * kUsPerSecond;  // the first bound (at least 1 ms)
  TimeUs max = 60 * kUsPerSecond;     // cap of the growing bound
  // After Connected(), a failure resets the bound to `initial` only when the
  // connection stayed up this long (0: any success resets), so an upstream
  // that accepts and drops at once keeps backing off.
  TimeUs healthy_after = 30 * kUsPerSecond;
  Jitter jitter = Jitter::kFull;
};

// After the n-th consecutive failure (n from 0) the bound is
// min(max, initial * 2^n); the delay is drawn below it per the policy's jitter.
class Backoff {
 public:
  // `uniform01` returns values in [0, 1) (others are clamped); empty: a
  // std::mt19937_64 seeded from std::random_device. `clock` must outlive this.
  Backoff(BackoffPolicy policy, const Clock& clock, std::function<double()> uniform01 = {});

  // A connection came up (or an attempt succeeded) now.
  void Connected();
  // An attempt failed or a connection ended now: the delay before the next attempt.
  TimeUs Failed();
  // Start again from `initial` at once.
  void Reset() { failures_ = 0; connected_ = false; }
  // The upper bound the next Failed() draws below.
  TimeUs NextBound() const;
  // Consecutive failures counted since the last reset.
  int failures() const { return failures_; }

 private:
  BackoffPolicy policy_;
  const Clock& clock_;
  std::function<double()> uniform01_;
  int failures_ = 0;
  bool connected_ = false;
  std::int64_t connected_at_ = 0;  // Clock::MonotonicUs
};

}  // namespace ibr
