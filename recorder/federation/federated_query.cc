// FederatedQuery: timeline -> plan -> per segment: sources in order until one reads.
#include "federation/federated_query.h"

#include "federation/segment_merger.h"

namespace ibr::federation {
namespace {

struct Context {
  const query::TickQuery& q;
  ReaderProvider& readers;
  SegmentMerger& merger;
  FederatedStats& stats;
};

// Reads one segment, trying its sources in order; what none could supply
// becomes a Hole. Returns only the output's errors.
Status ReadSegment(const Segment& seg, Context& c) {
  query::TimeRange todo = seg.range;
  std::string why;
  for (const InstanceRef& inst : seg.sources) {
    auto reader = c.readers.For(inst);
    if (!reader.ok()) {
      why += (why.empty() ? "" : "; ") + ("instance '" + inst.name + "': " + reader.status().message());
      continue;
    }
    c.merger.BeginSegment(todo);
    SegmentRequest req{c.q.contract_id, c.q.tick_types, todo, c.merger.remaining()};
    Status s = (*reader)->Read(req, c.merger, c.stats.notes);
    const bool some = c.merger.segment_emitted() > 0;
    if (s.ok() || some || c.merger.output_stopped()) {
      const TimeUs end = s.ok() || c.merger.output_stopped() ? todo.end : *c.merger.segment_last() + 1;
      c.stats.reads.push_back({{todo.start, end}, inst.name, (*reader)->Describe(), c.merger.segment_emitted()});
    }
    if (c.merger.output_stopped()) return c.merger.limit_reached() ? Status::Ok() : s;
    if (s.ok()) return Status::Ok();
    why += (why.empty() ? "" : "; ") + ("instance '" + inst.name + "' (" + (*reader)->Describe() + "): " + s.message());
    // Ticks already delivered stay; the rest of the segment goes to the next source.
    if (some) todo.start = *c.merger.segment_last() + 1;
    if (todo.Empty()) return Status::Ok();
  }
  c.stats.holes.push_back({seg.contract_id, todo, why});
  return Status::Ok();
}

}  // namespace

Result<FederatedStats> FederatedQuery::Run(const query::TickQuery& q, query::TickSink& sink) {
  FederatedStats stats;
  SegmentMerger merger(sink, q.limit);
  Context c{q, readers_, merger, stats};
  for (const query::TimeRange& range : q.ranges) {
    if (range.Empty()) continue;
    auto rows = coverage_.Coverage(q.contract_id, range);
    if (!rows.ok()) return rows.status();
    const CoveragePlan plan = PlanCoverage(*rows, q.contract_id, range);
    stats.gaps.insert(stats.gaps.end(), plan.gaps.begin(), plan.gaps.end());
    for (const Segment& seg : plan.segments) {
      if (merger.limit_reached()) break;
      IBR_RETURN_IF_ERROR(ReadSegment(seg, c));
    }
    if (merger.limit_reached()) break;
  }
  stats.ticks = merger.emitted();
  stats.limit_reached = merger.limit_reached();
  return stats;
}

}  // namespace ibr::federation
