// SimSource: simulators per contract, merged by timestamp, paced by the Clock.
#include "daemon/sim_source.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "ingest/simulator.h"
#include "ingest/line_intake.h"

namespace ibr::daemon {
namespace {

constexpr TimeUs kMaxWaitUs = 200'000;  // wake at least this often to notice Stop and clock jumps

ingest::SimulatorOptions OptionsFor(const TrackedContract& t, double rate, TimeUs start) {
  ingest::SimulatorOptions o;
  o.contracts = {{t.contract_id, t.symbol}};
  o.tick_types = t.tick_types;
  o.rate = rate;
  o.start = start;
  o.duration = 0;  // never ends
  o.seed = t.contract_id;
  return o;
}

}  // namespace

Status SimSource::Start(RecorderService& service) {
  if (config_.tracked.empty()) {
    return Status::InvalidArgument(
        "the sim source simulates the tracked contracts, and none are set: set IB_STREAM_TRACKED_CONTRACTS, "
        "e.g. 711280073:MNQ:bid_ask;last,265598:AAPL:bid_ask;last");
  }
  const TimeUs start = clock_.Now();  // the simulated stream starts now, not when the thread runs
  for (const auto& t : config_.tracked) {
    IBR_RETURN_IF_ERROR(ingest::ValidateSimulatorOptions(OptionsFor(t, config_.sim_rate, start)));
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return Status::FailedPrecondition("the sim source is already running");
  stop_ = false;
  thread_ = std::thread([this, &service, start] { Run(service, start); });
  return Status::Ok();
}

void SimSource::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SimSource::Run(RecorderService& service, TimeUs start) {
  std::vector<std::unique_ptr<ingest::Simulator>> sims;
  for (const auto& t : config_.tracked) {
    sims.push_back(std::make_unique<ingest::Simulator>(OptionsFor(t, config_.sim_rate, start)));
  }
  ingest::LineIntake intake;
  ingest::DecodeResult res;
  std::string line;
  std::uint64_t line_no = 0;
  for (;;) {
    ingest::Simulator* next = nullptr;
    for (auto& s : sims) {
      if (!s->Done() && (!next || s->NextTimestamp() < next->NextTimestamp())) next = s.get();
    }
    if (!next) return;
    const TimeUs now = clock_.Now();
    if (next->NextTimestamp() > now) {
      std::unique_lock<std::mutex> lock(mu_);
      TimeUs wait = std::min(next->NextTimestamp() - now, kMaxWaitUs);
      cv_.wait_for(lock, std::chrono::microseconds(wait), [&] { return stop_; });
      if (stop_) return;
      continue;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
    }
    if (!next->Next(&line)) continue;
    ++line_no;
    lines_.fetch_add(1, std::memory_order_relaxed);
    intake.Decode(line, now, res);
    service.Submit(std::move(res), line_no, line);
  }
}

}  // namespace ibr::daemon
