#include "sleeper.h"

#include <chrono>

namespace ibr::sync {

bool RealSleeper::SleepFor(TimeUs d) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::microseconds(d), [this] { return stop_.load(); });
  return !stop_.load();
}

void RealSleeper::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_.store(true);
  }
  cv_.notify_all();
}

}  // namespace ibr::sync
