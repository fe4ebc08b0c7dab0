// SegmentMerger: range filter, limit, output errors.
#include "federation/segment_merger.h"

namespace ibr::federation {

void SegmentMerger::BeginSegment(query::TimeRange range) {
  range_ = range;
  segment_emitted_ = 0;
  segment_last_.reset();
  segment_first_.reset();
}

std::optional<std::uint64_t> SegmentMerger::remaining() const {
  if (!limit_) return std::nullopt;
  return *limit_ > emitted_ ? *limit_ - emitted_ : 0;
}

Status SegmentMerger::OnTick(const Tick& tick, std::string_view raw_body) {
  if (limit_reached()) {
    output_stopped_ = true;
    return Status::FailedPrecondition("limit reached");
  }
  if (!range_.Contains(tick.timestamp_us)) {
    ++dropped_;
    return Status::Ok();
  }
  Status s = out_.OnTick(tick, raw_body);
  if (!s.ok()) {
    output_stopped_ = true;
    return s;
  }
  ++emitted_;
  ++segment_emitted_;
  segment_last_ = tick.timestamp_us;
  if (!segment_first_) segment_first_ = tick.timestamp_us;
  if (limit_reached()) {
    output_stopped_ = true;
    return Status::FailedPrecondition("limit reached");
  }
  return Status::Ok();
}

}  // namespace ibr::federation
