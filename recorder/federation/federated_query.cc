// FederatedQuery: timeline -> plan -> per segment: sources in order until one reads.
#include "federation/federated_query.h"

#include <algorithm>

#include "common/time_text.h"
#include "federation/segment_merger.h"

namespace ibr::federation {
namespace {

struct Context {
  const query::TickQuery& q;
  ReaderProvider& readers;
  SegmentMerger& merger;
  FederatedStats& stats;
};

// The first and last tick a segment delivered (over all its sources).
struct Delivered {
  std::optional<TimeUs> first, last;
  std::uint64_t ticks = 0;
  std::string instance;  // the last source that delivered any
};

// Reads one segment, trying its sources in order; what none could supply
// becomes a Hole. Returns only the output's errors.
Status ReadSegment(const Segment& seg, Context& c, Delivered& got) {
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
    if (some) {
      if (!got.first) got.first = c.merger.segment_first();
      got.last = c.merger.segment_last();
      got.ticks += c.merger.segment_emitted();
      got.instance = inst.name;
    }
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

// A files-only segment read completely: what it did not hold is a gap like any
// other (all of it when empty; else before its first tick and after its last,
// unless another segment continues right there); what it held is noted.
void AccountStoredOnly(const Segment& seg, const Delivered& got, bool joined_before, bool joined_after,
                       FederatedStats& stats) {
  if (!got.first) {
    stats.gaps.push_back(seg.range);
    return;
  }
  if (!joined_before && seg.range.start < *got.first) stats.gaps.push_back({seg.range.start, *got.first});
  if (!joined_after && *got.last + 1 < seg.range.end) stats.gaps.push_back({*got.last + 1, seg.range.end});
  stats.notes.push_back("contract " + std::to_string(seg.contract_id) + " from " + FormatIsoTimestamp(seg.range.start) +
                        " to " + FormatIsoTimestamp(seg.range.end) + " lies outside every session's coverage: " +
                        std::to_string(got.ticks) + " late or backfilled tick(s) read from instance '" + got.instance +
                        "''s stored files");
}

// Sorts the gaps and joins neighbours.
void NormaliseGaps(std::vector<query::TimeRange>& gaps) {
  std::sort(gaps.begin(), gaps.end(),
            [](const query::TimeRange& a, const query::TimeRange& b) { return a.start < b.start; });
  std::vector<query::TimeRange> out;
  for (const auto& g : gaps) {
    if (g.Empty()) continue;
    if (!out.empty() && out.back().end >= g.start) {
      out.back().end = std::max(out.back().end, g.end);
    } else {
      out.push_back(g);
    }
  }
  gaps = std::move(out);
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
    for (std::size_t i = 0; i < plan.segments.size(); ++i) {
      const Segment& seg = plan.segments[i];
      if (merger.limit_reached()) break;
      Delivered got;
      const std::size_t holes = stats.holes.size();
      IBR_RETURN_IF_ERROR(ReadSegment(seg, c, got));
      if (seg.stored_only && stats.holes.size() == holes && !merger.limit_reached()) {
        const bool before = i > 0 && plan.segments[i - 1].range.end == seg.range.start;
        const bool after = i + 1 < plan.segments.size() && plan.segments[i + 1].range.start == seg.range.end;
        AccountStoredOnly(seg, got, before, after, stats);
      }
    }
    if (merger.limit_reached()) break;
  }
  NormaliseGaps(stats.gaps);
  stats.ticks = merger.emitted();
  stats.limit_reached = merger.limit_reached();
  return stats;
}

}  // namespace ibr::federation
