// QueryGate: a counting semaphore with a bounded wait.
#include "http/query_gate.h"

#include <algorithm>

namespace ibr::http {

QueryGate::QueryGate(std::size_t max, std::chrono::milliseconds max_wait)
    : max_(std::max<std::size_t>(1, max)), max_wait_(max_wait) {}

std::optional<QueryGate::Slot> QueryGate::Acquire() {
  std::unique_lock lock(mu_);
  if (running_ >= max_) {
    ++waiting_;
    const bool got = freed_.wait_for(lock, max_wait_, [this] { return running_ < max_; });
    --waiting_;
    if (!got) return std::nullopt;
  }
  ++running_;
  return Slot(this);
}

void QueryGate::Release() {
  {
    std::lock_guard lock(mu_);
    --running_;
  }
  freed_.notify_one();
}

std::size_t QueryGate::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

std::size_t QueryGate::waiting() const {
  std::lock_guard lock(mu_);
  return waiting_;
}

}  // namespace ibr::http
