// CoveragePlan: elementary intervals between coverage boundaries, the cut-over
// rule on each, then merging of equal neighbours.
#include "federation/coverage_plan.h"

#include <algorithm>
#include <optional>
#include <tuple>

namespace ibr::federation {
namespace {

// The rows of one contract, clipped to the range, non-empty.
std::vector<CoverageRow> Clipped(const std::vector<CoverageRow>& rows, std::uint32_t contract_id,
                                 query::TimeRange range) {
  std::vector<CoverageRow> out;
  for (const CoverageRow& r : rows) {
    if (r.contract_id != contract_id) continue;
    CoverageRow c = r;
    c.coverage.start = std::max(c.coverage.start, range.start);
    c.coverage.end = std::min(c.coverage.end, range.end);
    if (!c.coverage.Empty()) out.push_back(std::move(c));
  }
  // The preference order of the rule: sessions before stored files, the session that started
  // first, then a stable tie-break (stored rows: by instance name).
  std::sort(out.begin(), out.end(), [](const CoverageRow& a, const CoverageRow& b) {
    return std::tie(a.stored, a.session_start, a.instance.name, a.session_id, a.coverage.start) <
           std::tie(b.stored, b.session_start, b.instance.name, b.session_id, b.coverage.start);
  });
  return out;
}

struct Sources {
  std::vector<InstanceRef> instances;  // preferred first, each once
  bool stored_only = false;            // no session row among them
};

// Instances covering all of [t0, t1).
Sources SourcesFor(const std::vector<CoverageRow>& rows, TimeUs t0, TimeUs t1) {
  Sources out;
  bool session = false;
  for (const CoverageRow& r : rows) {
    if (r.coverage.start > t0 || r.coverage.end < t1) continue;
    session = session || !r.stored;
    bool seen = std::any_of(out.instances.begin(), out.instances.end(),
                            [&](const InstanceRef& i) { return i.name == r.instance.name; });
    if (!seen) out.instances.push_back(r.instance);
  }
  out.stored_only = !out.instances.empty() && !session;
  return out;
}

bool SessionCoverageEndsAt(const std::vector<CoverageRow>& rows, const std::string& instance, TimeUs t) {
  return std::any_of(rows.begin(), rows.end(), [&](const CoverageRow& r) {
    return !r.stored && r.instance.name == instance && r.coverage.end == t;
  });
}

// Gives a session segment followed by no other session its instance's last covered
// microsecond (see the header); a files-only segment right after it gives that microsecond up.
void KeepLastInstants(const std::vector<CoverageRow>& rows, CoveragePlan& plan) {
  for (std::size_t i = 0; i < plan.segments.size(); ++i) {
    Segment& s = plan.segments[i];
    if (s.stored_only) continue;
    Segment* next = i + 1 < plan.segments.size() && plan.segments[i + 1].range.start == s.range.end
                        ? &plan.segments[i + 1]
                        : nullptr;
    if ((next != nullptr && !next->stored_only) || s.range.end >= plan.range.end) continue;
    if (!SessionCoverageEndsAt(rows, s.sources.front().name, s.range.end)) continue;
    const TimeUs old_end = s.range.end++;
    if (next != nullptr) next->range.start = s.range.end;
    for (auto& g : plan.gaps) {
      if (g.start == old_end) g.start = s.range.end;
    }
  }
  std::erase_if(plan.segments, [](const Segment& s) { return s.range.Empty(); });
  std::erase_if(plan.gaps, [](const query::TimeRange& g) { return g.Empty(); });
}

}  // namespace

CoveragePlan PlanCoverage(const std::vector<CoverageRow>& rows, std::uint32_t contract_id, query::TimeRange range) {
  CoveragePlan plan;
  plan.contract_id = contract_id;
  plan.range = range;
  if (range.Empty()) return plan;
  const std::vector<CoverageRow> mine = Clipped(rows, contract_id, range);

  std::vector<TimeUs> cuts{range.start, range.end};
  for (const CoverageRow& r : mine) {
    cuts.push_back(r.coverage.start);
    cuts.push_back(r.coverage.end);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());

  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    const TimeUs t0 = cuts[i], t1 = cuts[i + 1];
    Sources found = SourcesFor(mine, t0, t1);
    std::vector<InstanceRef>& sources = found.instances;
    if (sources.empty()) {
      if (!plan.gaps.empty() && plan.gaps.back().end == t0) {
        plan.gaps.back().end = t1;
      } else {
        plan.gaps.push_back({t0, t1});
      }
      continue;
    }
    if (!plan.segments.empty() && plan.segments.back().range.end == t0 && plan.segments.back().sources == sources &&
        plan.segments.back().stored_only == found.stored_only) {
      plan.segments.back().range.end = t1;
    } else {
      plan.segments.push_back(Segment{contract_id, {t0, t1}, std::move(sources), found.stored_only});
    }
  }
  KeepLastInstants(mine, plan);
  return plan;
}

std::vector<CoveragePlan> PlanContracts(const std::vector<CoverageRow>& rows, const std::vector<std::uint32_t>& contracts,
                                        query::TimeRange range) {
  std::vector<CoveragePlan> out;
  out.reserve(contracts.size());
  for (std::uint32_t c : contracts) out.push_back(PlanCoverage(rows, c, range));
  return out;
}

}  // namespace ibr::federation
