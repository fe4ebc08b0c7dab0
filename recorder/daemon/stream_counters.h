// StreamCounters: what the status reports per stream and per upstream contract — ticks stored
// per (contract, tick type) with their last times and per-minute window, and each contract's
// connection state (connected, reconnects, last disconnect). Ticks lost with a failed write are
// taken back out. Writer thread only (Status() reads the published copies).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/tick.h"
#include "daemon/minute_window.h"
#include "storage/partition_writer.h"

namespace ibr::daemon {

class StreamCounters {
 public:
  struct Stream {
    std::uint64_t ticks = 0;
    TimeUs last_tick_time = 0, last_tick_wall = 0;
    MinuteWindow window;
  };
  struct Contract {
    bool connected = false;
    bool ever_connected = false;
    std::uint64_t reconnects = 0;
    std::string last_disconnect;
    std::optional<TimeUs> last_disconnect_at;
  };
  using Key = std::pair<std::uint32_t, TickType>;

  void OnTick(const Tick& t, TimeUs wall);
  void OnConnected(std::uint32_t contract_id);
  void OnDisconnected(std::uint32_t contract_id, const std::string& cause, TimeUs at);
  // Ticks lost with a failed write; `refused` (lost with the buffer but never
  // counted here) is not taken back.
  void TakeBack(const std::vector<storage::LostTicks>& lost, const Tick* refused);

  const std::map<Key, Stream>& streams() const { return streams_; }
  const Contract* contract(std::uint32_t contract_id) const;

 private:
  std::map<Key, Stream> streams_;
  std::map<std::uint32_t, Contract> contracts_;
};

}  // namespace ibr::daemon
