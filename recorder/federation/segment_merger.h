// SegmentMerger: joins the segments' tick streams into the one output — the
// segments come oldest first and do not overlap, so each tick is kept only
// when its timestamp lies in the segment being read, which puts the output in
// timestamp order with every instant from one instance. Counts, applies the
// overall limit, and remembers whether an error came from the output itself.
// Borrows the output sink; one thread.
#pragma once

#include <cstdint>
#include <optional>

#include "query/tick_sink.h"
#include "query/time_range.h"

namespace ibr::federation {

class SegmentMerger final : public query::TickSink {
 public:
  SegmentMerger(query::TickSink& out, std::optional<std::uint64_t> limit) : out_(out), limit_(limit) {}

  // Ticks outside `range` are dropped from now on.
  void BeginSegment(query::TimeRange range);
  Status OnTick(const Tick& tick, std::string_view raw_body) override;
  bool WantsRawBodies() const override { return out_.WantsRawBodies(); }

  std::uint64_t emitted() const { return emitted_; }
  std::uint64_t dropped() const { return dropped_; }   // outside their segment
  bool limit_reached() const { return limit_ && emitted_ >= *limit_; }
  // Ticks to ask a reader for at most (the rest of the limit).
  std::optional<std::uint64_t> remaining() const;
  // Ticks of the current segment delivered so far, and the last one's time.
  std::uint64_t segment_emitted() const { return segment_emitted_; }
  std::optional<TimeUs> segment_last() const { return segment_last_; }
  std::optional<TimeUs> segment_first() const { return segment_first_; }
  // True when the last error OnTick returned came from the output (or the limit).
  bool output_stopped() const { return output_stopped_; }

 private:
  query::TickSink& out_;
  const std::optional<std::uint64_t> limit_;
  query::TimeRange range_;
  std::uint64_t emitted_ = 0, dropped_ = 0, segment_emitted_ = 0;
  std::optional<TimeUs> segment_last_, segment_first_;
  bool output_stopped_ = false;
};

}  // namespace ibr::federation
