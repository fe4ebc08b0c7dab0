// StreamLimiter: a counter that never goes past its maximum.
#include "http/stream_limiter.h"

namespace ibr::http {

StreamLimiter::Slot::~Slot() {
  if (owner_ != nullptr) owner_->open_.fetch_sub(1);
}

StreamLimiter::Slot& StreamLimiter::Slot::operator=(Slot&& o) noexcept {
  if (this != &o) {
    if (owner_ != nullptr) owner_->open_.fetch_sub(1);
    owner_ = o.owner_;
    o.owner_ = nullptr;
  }
  return *this;
}

std::optional<StreamLimiter::Slot> StreamLimiter::TryAcquire() {
  std::size_t n = open_.load();
  while (n < max_) {
    if (open_.compare_exchange_weak(n, n + 1)) return Slot(this);
  }
  return std::nullopt;
}

}  // namespace ibr::http
