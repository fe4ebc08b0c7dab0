// TickJson: one tick as the v2 NDJSON message object, byte for byte the shape
// other tools parse (DESIGN.md "Interfaces other tools parse"):
//   {"type":"tick","stream_id":"...","timestamp":"2025-03-10T14:00:00.285000Z",
//    "data":{"contract_id":265598,"tick_type":"bid_ask","bid_price":229.95,...}}
// Used by the NDJSON and JSON encoders (and the SSE fan-out). One writer per
// encoder, one thread; appends without allocating once warm.
#pragma once

#include <string>

#include "common/tick.h"
#include "query/value_text.h"

namespace ibr::query {

struct TickJsonOptions {
  // Adds "metadata":{"historical":true} after "data" (buffer replay before live ticks).
  bool historical = false;
};

class TickJsonWriter {
 public:
  explicit TickJsonWriter(TickJsonOptions options = {}) : options_(options) {}

  // Appends the object (no trailing newline). `data` keys, each only when
  // present: contract_id, tick_type, price, size, bid_price, bid_size,
  // ask_price, ask_size, mid_price, exchange, conditions (when non-empty),
  // past_limit, unreported, bid_past_low, ask_past_high, sequence, unix_time.
  void Append(std::string& out, const Tick& tick);

 private:
  TickJsonOptions options_;
  TimestampText timestamp_;
};

}  // namespace ibr::query
