// Backoff: reconnect delays for one upstream stream. Exponential with full
// jitter: after the n-th consecutive failure (n from 0) the delay is uniform
// in [0, min(max, initial * 2^n)]. The count resets only once a connection has
// stayed up for `healthy_after` (on the injected Clock), so an upstream that
// accepts and drops at once keeps backing off. Returns delays, never sleeps.
// One per stream, used by one thread.
#pragma once

#include <functional>

#include "common/clock.h"

namespace ibr::daemon {

struct BackoffPolicy {
  TimeUs initial = 2 * kUsPerSecond;          // IB_STREAM_RECONNECT_DELAY
  TimeUs max = 60 * kUsPerSecond;             // cap of the growing bound
  TimeUs healthy_after = 30 * kUsPerSecond;   // up this long: start again from `initial`
};

class Backoff {
 public:
  // `uniform01` returns values in [0, 1); empty: a std::mt19937_64 seeded
  // from std::random_device. `clock` must outlive the Backoff.
  Backoff(BackoffPolicy policy, const Clock& clock, std::function<double()> uniform01 = {});

  // A connection came up now.
  void Connected();
  // An attempt failed or a connection ended now: the delay before the next attempt.
  TimeUs Failed();
  // The upper bound the next Failed() draws below.
  TimeUs NextBound() const;
  // Consecutive failures counted since the last healthy connection.
  int failures() const { return failures_; }

 private:
  BackoffPolicy policy_;
  const Clock& clock_;
  std::function<double()> uniform01_;
  int failures_ = 0;
  bool connected_ = false;
  std::int64_t connected_at_ = 0;  // Clock::MonotonicUs
};

}  // namespace ibr::daemon
