// LiveSubscription: one consumer of the ticks a running recorder stores (an
// SSE client of /v2/stream or /with-buffer). The writer thread pushes ticks
// that match its contract and tick types into a bounded queue; a consumer
// that falls behind by more than the bound is dropped (closed with a reason)
// instead of slowing ingest. Push from the writer thread, Pop from one
// consumer thread; Close from either.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/tick.h"

namespace ibr::daemon {

class LiveSubscription {
 public:
  LiveSubscription(std::uint32_t contract_id, std::vector<TickType> tick_types, std::size_t capacity)
      : contract_id_(contract_id), tick_types_(std::move(tick_types)), capacity_(capacity) {}

  std::uint32_t contract_id() const { return contract_id_; }
  bool Wants(const Tick& t) const;

  // Writer thread. Drops the subscription (closed, reason "slow consumer")
  // when the queue is full.
  void Push(const Tick& t);
  // Consumer: waits up to timeout_ms for a tick; nullopt on timeout or when
  // closed (then closed() is true and reason() says why).
  std::optional<Tick> Pop(int timeout_ms);
  void Close(const std::string& reason);
  bool closed() const;
  std::string reason() const;
  // Highest arrival sequence stored before this subscription started: ticks
  // at or below it are in the files (history); ticks above it come here.
  std::uint64_t start_seq() const { return start_seq_; }
  void set_start_seq(std::uint64_t s) { start_seq_ = s; }

 private:
  const std::uint32_t contract_id_;
  const std::vector<TickType> tick_types_;
  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Tick> queue_;
  bool closed_ = false;
  std::string reason_;
  std::uint64_t start_seq_ = 0;
};

}  // namespace ibr::daemon
