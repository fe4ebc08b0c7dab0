// Backoff: exponential retry delays with jitter for an unreachable database.
//
// Delay n (n = 0, 1, ...) is drawn uniformly from [d/2, d], d = min(max,
// initial * 2^n) ("equal jitter": never zero, never in lock-step with other
// agents). The random source is injected so tests are deterministic.
// Thread-compatible.
#pragma once

#include <functional>

#include "common/clock.h"

namespace ibr::sync {

class Backoff {
 public:
  // `uniform01` returns values in [0, 1); defaults to a seeded std::mt19937_64.
  Backoff(TimeUs initial, TimeUs max, std::function<double()> uniform01 = {});

  TimeUs Next();          // the delay before the next attempt
  void Reset() { attempts_ = 0; }
  int attempts() const { return attempts_; }

 private:
  TimeUs initial_, max_;
  std::function<double()> uniform01_;
  int attempts_ = 0;
};

}  // namespace ibr::sync
