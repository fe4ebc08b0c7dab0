// StreamLimiter: counts the open live SSE streams against
// HttpServerOptions::max_live_streams so long-lived streams never take every
// worker thread. A Slot is held for the life of one stream. Thread-safe; the
// limiter must outlive its slots.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>

#include "http/held_place.h"

namespace ibr::http {

class StreamLimiter {
 public:
  explicit StreamLimiter(std::size_t max) : max_(max) {}

  // Releases its place when destroyed. Move-only.
  using Slot = HeldPlace<StreamLimiter>;

  // A slot, or nullopt when max streams are open.
  std::optional<Slot> TryAcquire();
  std::size_t open() const { return open_.load(); }
  std::size_t max() const { return max_; }

 private:
  friend Slot;
  void Release() { open_.fetch_sub(1); }

  const std::size_t max_;
  std::atomic<std::size_t> open_{0};
};

}  // namespace ibr::http
