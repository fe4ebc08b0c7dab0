#include "backoff.h"

#include <algorithm>
#include <memory>
#include <random>

namespace ibr::sync {

Backoff::Backoff(TimeUs initial, TimeUs max, std::function<double()> uniform01)
    : initial_(std::max<TimeUs>(initial, 1)), max_(std::max(max, initial)), uniform01_(std::move(uniform01)) {
  if (!uniform01_) {
    auto rng = std::make_shared<std::mt19937_64>(std::random_device{}());
    uniform01_ = [rng] { return std::uniform_real_distribution<double>(0.0, 1.0)(*rng); };
  }
}

TimeUs Backoff::Next() {
  TimeUs d = initial_;
  for (int i = 0; i < attempts_ && d < max_; ++i) d *= 2;
  d = std::min(d, max_);
  ++attempts_;
  const double u = std::clamp(uniform01_(), 0.0, 1.0);
  return d / 2 + static_cast<TimeUs>(u * static_cast<double>(d - d / 2));
}

}  // namespace ibr::sync
