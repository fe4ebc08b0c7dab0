// LiveFanOut: push to matching subscribers, prune the closed ones.
#include "daemon/live_fan_out.h"

#include <algorithm>

namespace ibr::daemon {

void LiveFanOut::Push(const Tick& t) {
  bool prune = false;
  for (const auto& sub : subs_) {
    if (sub->Wants(t)) sub->Push(t);
    prune = prune || sub->closed();
  }
  if (prune) std::erase_if(subs_, [](const auto& s) { return s->closed(); });
}

void LiveFanOut::CloseAll(const std::string& reason) {
  for (const auto& sub : subs_) sub->Close(reason);
  subs_.clear();
}

std::uint64_t LiveFanOut::open_count() const {
  return static_cast<std::uint64_t>(
      std::count_if(subs_.begin(), subs_.end(), [](const auto& sub) { return !sub->closed(); }));
}

}  // namespace ibr::daemon
