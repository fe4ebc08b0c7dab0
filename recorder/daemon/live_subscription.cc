// LiveSubscription: a bounded per-consumer tick queue; overflow closes it.
#include "daemon/live_subscription.h"

#include <algorithm>
#include <chrono>

namespace ibr::daemon {

bool LiveSubscription::Wants(const Tick& t) const {
  if (t.contract_id != contract_id_) return false;
  return tick_types_.empty() || std::find(tick_types_.begin(), tick_types_.end(), t.tick_type) != tick_types_.end();
}

void LiveSubscription::Push(const Tick& t) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    if (queue_.size() >= capacity_) {
      closed_ = true;
      reason_ = "slow consumer: fell more than " + std::to_string(capacity_) +
                " ticks behind the live stream; reconnect (with-buffer replays what was missed)";
      queue_.clear();
    } else {
      queue_.push_back(t);
    }
  }
  cv_.notify_one();
}

std::optional<Tick> LiveSubscription::Pop(int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(std::max(0, timeout_ms)), [&] { return closed_ || !queue_.empty(); });
  if (closed_ || queue_.empty()) return std::nullopt;
  Tick t = std::move(queue_.front());
  queue_.pop_front();
  return t;
}

void LiveSubscription::Close(const std::string& reason) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    closed_ = true;
    reason_ = reason;
    queue_.clear();
  }
  cv_.notify_all();
}

bool LiveSubscription::closed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_;
}

std::string LiveSubscription::reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reason_;
}

}  // namespace ibr::daemon
