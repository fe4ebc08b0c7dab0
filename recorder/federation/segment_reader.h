// SegmentReader: reads one instance's ticks of a contract over a range — from
// its storage root on this host (LocalSegmentReader) or over its HTTP API
// (HttpSegmentReader) — and delivers them in (timestamp, arrival) order.
// One reader per instance, used from one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/tick.h"
#include "query/tick_sink.h"
#include "query/time_range.h"

namespace ibr::federation {

struct SegmentRequest {
  std::uint32_t contract_id = 0;
  std::vector<TickType> tick_types;
  query::TimeRange range;
  std::optional<std::uint64_t> limit;  // the reader may stop after this many ticks
};

class SegmentReader {
 public:
  virtual ~SegmentReader() = default;
  // Streams the ticks of `request` to `sink`. A sink error stops the read and
  // is returned as is. Errors of the instance itself (unreachable, refused,
  // truncated answer, damaged file) say which instance and what to do; ticks
  // delivered before them stay delivered. `notes` gets what was skipped.
  virtual Status Read(const SegmentRequest& request, query::TickSink& sink, std::vector<std::string>& notes) = 0;
  // "files at /srv/ib" or "http://collector1:8002", for messages.
  virtual std::string Describe() const = 0;
};

}  // namespace ibr::federation
