// StreamCounters: per-stream tick counters and per-contract connection state.
#include "daemon/stream_counters.h"

#include <algorithm>

namespace ibr::daemon {

void StreamCounters::OnTick(const Tick& t, TimeUs wall) {
  Stream& sc = streams_[{t.contract_id, t.tick_type}];
  ++sc.ticks;
  sc.last_tick_time = t.timestamp_us;
  sc.last_tick_wall = wall;
  sc.window.Add(wall);
}

void StreamCounters::OnConnected(std::uint32_t contract_id) {
  Contract& cs = contracts_[contract_id];
  if (cs.ever_connected) ++cs.reconnects;
  cs.connected = cs.ever_connected = true;
}

void StreamCounters::OnDisconnected(std::uint32_t contract_id, const std::string& cause, TimeUs at) {
  Contract& cs = contracts_[contract_id];
  cs.connected = false;
  cs.last_disconnect = cause;
  cs.last_disconnect_at = at;
}

void StreamCounters::TakeBack(const std::vector<storage::LostTicks>& lost, const Tick* refused) {
  for (const auto& l : lost) {
    auto it = streams_.find({l.contract_id, l.tick_type});
    if (it == streams_.end()) continue;
    std::int64_t n = l.ticks;
    if (refused && refused->contract_id == l.contract_id && refused->tick_type == l.tick_type) --n;
    it->second.ticks -=
        std::min<std::uint64_t>(it->second.ticks, static_cast<std::uint64_t>(std::max<std::int64_t>(0, n)));
  }
}

const StreamCounters::Contract* StreamCounters::contract(std::uint32_t contract_id) const {
  auto it = contracts_.find(contract_id);
  return it == contracts_.end() ? nullptr : &it->second;
}

}  // namespace ibr::daemon
