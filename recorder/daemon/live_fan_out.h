// LiveFanOut: the writer's fan-out of stored ticks to live subscribers (SSE clients). Owns the
// list of subscriptions; closed ones (unsubscribed, or dropped for falling behind) are
// forgotten on the next tick. Writer thread only (each LiveSubscription has its own lock).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/tick.h"
#include "daemon/live_subscription.h"

namespace ibr::daemon {

class LiveFanOut {
 public:
  void Add(std::shared_ptr<LiveSubscription> sub) { subs_.push_back(std::move(sub)); }
  // Hands a stored tick to every subscriber that wants it.
  void Push(const Tick& t);
  void CloseAll(const std::string& reason);
  std::uint64_t open_count() const;

 private:
  std::vector<std::shared_ptr<LiveSubscription>> subs_;
};

}  // namespace ibr::daemon
