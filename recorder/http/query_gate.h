// QueryGate: admission control for read queries (historical and buffer
// ranges). At most `max` run at once; the next ones wait, up to a bounded
// time, for a place, so many concurrent clients queue instead of all
// competing for the CPU with the writer. Live SSE streams are not counted
// (StreamLimiter bounds those). Thread-safe; the gate must outlive its slots.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>

#include "http/held_place.h"

namespace ibr::http {

class QueryGate {
 public:
  // max >= 1; max_wait: how long Acquire waits for a place before giving up.
  QueryGate(std::size_t max, std::chrono::milliseconds max_wait);

  // Releases its place (waking one waiter) when destroyed. Move-only.
  using Slot = HeldPlace<QueryGate>;

  // A place, waiting up to max_wait() for one; nullopt when none came free.
  std::optional<Slot> Acquire();
  std::size_t running() const;
  std::size_t waiting() const;
  std::size_t max() const { return max_; }
  std::chrono::milliseconds max_wait() const { return max_wait_; }

 private:
  friend Slot;
  void Release();

  const std::size_t max_;
  const std::chrono::milliseconds max_wait_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  std::size_t running_ = 0;
  std::size_t waiting_ = 0;
};

}  // namespace ibr::http
