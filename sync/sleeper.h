// Sleeper: how the sync loop waits (poll interval, backoff) and how it is told
// to stop. The real one wakes early when Stop() is called (SIGTERM/SIGINT via
// the signal thread); tests use a fake that returns at once and records.
//
// Stop() and stop_requested() may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "common/clock.h"

namespace ibr::sync {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Waits up to `d`; returns false when stopped (before or during the wait).
  virtual bool SleepFor(TimeUs d) = 0;
  virtual void Stop() = 0;
  virtual bool stop_requested() const = 0;
};

class RealSleeper final : public Sleeper {
 public:
  bool SleepFor(TimeUs d) override;
  void Stop() override;
  bool stop_requested() const override { return stop_.load(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stop_{false};
};

}  // namespace ibr::sync
