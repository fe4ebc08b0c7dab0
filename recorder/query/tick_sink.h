// TickSink: where a query delivers its ticks, in (timestamp, arrival) order.
// Implemented by the encoders (and by tests). Called on the query's thread.
#pragma once

#include <string_view>

#include "common/status.h"
#include "common/tick.h"

namespace ibr::query {

class TickSink {
 public:
  virtual ~TickSink() = default;
  // `raw_body` is the tick's stored StreamMessage body without the CRC field
  // when WantsRawBodies(), else empty. A non-ok status stops the query (e.g.
  // the reader went away) and is returned by it.
  virtual Status OnTick(const Tick& tick, std::string_view raw_body) = 0;
  // True when the sink passes stored frames through (format=protobuf).
  virtual bool WantsRawBodies() const { return false; }
  // False when the sink reads only the tick's key (timestamp_us, arrival_seq,
  // contract_id, tick_type) and its raw body: the query then skips decoding
  // the other fields (they hold no meaningful values).
  virtual bool NeedsFullTicks() const { return true; }
};

}  // namespace ibr::query
