// Backoff: exponential delays with full or equal jitter and a health-based reset.
#include "common/backoff.h"

#include <algorithm>
#include <memory>
#include <random>

namespace ibr {

Backoff::Backoff(BackoffPolicy policy, const Clock& clock, std::function<double()> uniform01)
    : policy_(policy), clock_(clock), uniform01_(std::move(uniform01)) {
  policy_.initial = std::max<TimeUs>(policy_.initial, 1000);  // at least 1 ms: never a tight loop
  policy_.max = std::max(policy_.max, policy_.initial);
  if (!uniform01_) {
    auto rng = std::make_shared<std::mt19937_64>(std::random_device{}());
    uniform01_ = [rng] { return std::uniform_real_distribution<double>(0.0, 1.0)(*rng); };
  }
}

void Backoff::Connected() {
  connected_ = true;
  connected_at_ = clock_.MonotonicUs();
}

TimeUs Backoff::NextBound() const {
  TimeUs bound = policy_.initial;
  for (int i = 0; i < failures_ && bound < policy_.max; ++i) bound *= 2;  // no overflow: stops at max
  return std::min(bound, policy_.max);
}

TimeUs Backoff::Failed() {
  if (connected_ && clock_.MonotonicUs() - connected_at_ >= policy_.healthy_after) failures_ = 0;
  connected_ = false;
  const TimeUs bound = NextBound();
  ++failures_;
  const double u = std::clamp(uniform01_(), 0.0, 1.0);
  const TimeUs floor = policy_.jitter == Jitter::kEqual ? bound / 2 : 0;
  return std::min(floor + static_cast<TimeUs>(u * static_cast<double>(bound - floor)), bound);
}

}  // namespace ibr
