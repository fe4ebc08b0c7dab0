// StreamLimiter: a counter that never goes past its maximum.
#include "http/stream_limiter.h"

namespace ibr::http {

std::optional<StreamLimiter::Slot> StreamLimiter::TryAcquire() {
  std::size_t n = open_.load();
  while (n < max_) {
    if (open_.compare_exchange_weak(n, n + 1)) return Slot(this);
  }
  return std::nullopt;
}

}  // namespace ibr::http
