// SseFakeService: a RecorderService for the sse source tests that only
// records what a source hands it (Submit, StreamConnected,
// StreamDisconnected) and lets a test wait, bounded, for a condition on it.
// Thread-safe; the rest of the interface is unused and says so.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/recorder_service.h"

namespace ibr::daemon::testing {

class SseFakeService final : public RecorderService {
 public:
  struct Item {
    ingest::DecodeResult::Kind kind;
    std::uint32_t contract_id = 0;  // ticks and lifecycle events that name one
    TickType tick_type = TickType::kBidAsk;
    TimeUs timestamp = 0;
    std::string raw;
    std::uint64_t line = 0;
  };

  void Submit(ingest::DecodeResult item, std::uint64_t line_number, std::string_view raw_line) override {
    Item it{item.kind};
    if (item.kind == ingest::DecodeResult::Kind::kTick) {
      it.contract_id = item.tick.contract_id;
      it.tick_type = item.tick.tick_type;
      it.timestamp = item.tick.timestamp_us;
    } else if (item.kind == ingest::DecodeResult::Kind::kLifecycle) {
      it.contract_id = item.lifecycle.contract_id.value_or(0);
    }
    it.raw = std::string(raw_line);
    it.line = line_number;
    Record([&] { items_.push_back(std::move(it)); });
  }
  void StreamConnected(std::uint32_t id) override { Record([&] { ++connects_[id]; }); }
  void StreamDisconnected(std::uint32_t id, const std::string& cause) override {
    Record([&] { causes_[id].push_back(cause); });
  }

  Result<IngestAck> IngestBatch(std::string_view) override { return ibr::Status::Internal("not used"); }
  Result<std::shared_ptr<LiveSubscription>> Subscribe(std::uint32_t, std::vector<TickType>) override {
    return ibr::Status::Internal("not used");
  }
  void Unsubscribe(const std::shared_ptr<LiveSubscription>&) override {}
  RecorderStatus Status() const override { return {}; }
  const RecorderConfig& config() const override { return config_; }
  const std::string& storage_root() const override { return root_; }
  void Stop(const std::string&) override {}

  // Waits until `pred` (called under the lock) holds, at most `limit`.
  bool WaitFor(const std::function<bool(const SseFakeService&)>& pred,
               std::chrono::milliseconds limit = std::chrono::seconds(20)) const {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return pred(*this); });
  }
  // Copies under the lock.
  std::vector<Item> items() const {
    std::lock_guard<std::mutex> lock(mu_);
    return items_;
  }

  // These read without locking: call them from a WaitFor predicate or once
  // the source has stopped.
  std::size_t Count(ingest::DecodeResult::Kind kind, std::uint32_t id) const {
    std::size_t n = 0;
    for (const auto& it : items_) n += it.kind == kind && it.contract_id == id;
    return n;
  }
  std::size_t Ticks(std::uint32_t id) const { return Count(ingest::DecodeResult::Kind::kTick, id); }
  std::size_t Heartbeats() const { return Count(ingest::DecodeResult::Kind::kHeartbeat, 0); }
  int Connects(std::uint32_t id) const {
    auto it = connects_.find(id);
    return it == connects_.end() ? 0 : it->second;
  }
  std::vector<std::string> Causes(std::uint32_t id) const {
    auto it = causes_.find(id);
    return it == causes_.end() ? std::vector<std::string>{} : it->second;
  }
  std::size_t Disconnects(std::uint32_t id) const { return Causes(id).size(); }

 private:
  template <typename F>
  void Record(F f) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      f();
    }
    cv_.notify_all();
  }

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<Item> items_;
  std::map<std::uint32_t, int> connects_;
  std::map<std::uint32_t, std::vector<std::string>> causes_;
  RecorderConfig config_;
  std::string root_;
};

}  // namespace ibr::daemon::testing
