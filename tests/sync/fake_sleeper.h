// Test support: a Sleeper that never sleeps. It records each requested wait
// and runs a hook (which may Stop() it, restart a database, change a catalog).
#pragma once

#include <functional>
#include <vector>

#include "sleeper.h"

namespace ibr::sync::testing {

class FakeSleeper final : public Sleeper {
 public:
  bool SleepFor(TimeUs d) override {
    waits.push_back(d);
    if (on_sleep) on_sleep(d);
    return !stop_;
  }
  void Stop() override { stop_ = true; }
  bool stop_requested() const override { return stop_; }

  std::vector<TimeUs> waits;
  std::function<void(TimeUs)> on_sleep;

 private:
  bool stop_ = false;
};

}  // namespace ibr::sync::testing
