// SimSource: the built-in simulated feed (`--source sim`, the README's demo):
// one ingest::Simulator per tracked contract (its tick types, IB_STREAM_SIM_RATE
// ticks/s), released in real time — each line when the Clock reaches its
// timestamp — decoded and handed to RecorderService::Submit. Owns one thread;
// Start/Stop from the thread that runs the process.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "daemon/recorder_config.h"
#include "daemon/tick_source.h"

namespace ibr::daemon {

class SimSource final : public TickSource {
 public:
  // `clock` must outlive the source.
  SimSource(const RecorderConfig& config, const Clock& clock) : config_(config), clock_(clock) {}
  ~SimSource() override { Stop(); }

  // InvalidArgument when there is nothing to simulate (no tracked contracts).
  Status Start(RecorderService& service) override;
  void Stop() override;
  std::string name() const override { return "sim"; }
  std::uint64_t lines() const { return lines_.load(); }

 private:
  void Run(RecorderService& service, TimeUs start);

  const RecorderConfig config_;
  const Clock& clock_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<std::uint64_t> lines_{0};
};

}  // namespace ibr::daemon
