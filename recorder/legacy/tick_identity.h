// TickIdentity: when two records are the same tick. Two ticks are the same
// when they agree on contract_id, tick_type, timestamp_us (the envelope
// receipt time, microseconds), stream_id, the upstream sequence (present or
// not, and its value), and every price/size field (price, size, bid_price,
// bid_size, ask_price, ask_size, mid_price: present or not, and the exact
// double bits). Not part of it: exchange, conditions, the attribute flags
// and unix_time — ib-stream's protobuf writer dropped or mangled these, so a
// JSON record and its protobuf twin differ there. The identity is an
// XXH3-128 digest of those fields. Pure functions; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_set>

#include "common/tick.h"

namespace ibr::legacy {

struct TickIdentity {
  std::uint64_t high = 0, low = 0;
  bool operator==(const TickIdentity&) const = default;
};

struct TickIdentityHash {
  std::size_t operator()(const TickIdentity& id) const { return static_cast<std::size_t>(id.low ^ (id.high * 31)); }
};

using TickIdentitySet = std::unordered_set<TickIdentity, TickIdentityHash>;

TickIdentity IdentityOf(const Tick& tick);

}  // namespace ibr::legacy
