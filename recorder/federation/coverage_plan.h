// CoveragePlan: which instance supplies a contract's ticks at each instant of a
// range, from the central timeline (contract_timeline rows, plus the spans of
// each instance's stored files) — non-overlapping segments [t0, t1) with one
// instance each (the session that started first among those covering the
// instant; the others as fallbacks), plus the gaps. Plain values and pure
// functions; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "query/time_range.h"

namespace ibr::federation {

// An instance as the central database knows it: where its files and HTTP API are.
struct InstanceRef {
  std::string name;
  std::string host;
  int port = 0;
  std::string storage_path;
  bool operator==(const InstanceRef&) const = default;
};

// One row of contract_timeline (joined with its session's start): the session
// covered the contract over [coverage.start, coverage.end). Or, with `stored`,
// the span of ticks the instance's files hold (tick_files start/end, the end
// made exclusive): late and backfilled ticks lie outside every session's
// coverage, yet they are stored and must be found.
struct CoverageRow {
  std::uint32_t contract_id = 0;
  InstanceRef instance;
  std::int64_t session_id = 0;
  TimeUs session_start = 0;
  query::TimeRange coverage;
  std::string status;  // active | completed | terminated | failed; "stored" for a files row
  bool stored = false;
};

// A piece of the range read from one instance. `sources` is never empty:
// sources[0] is the instance the cut-over rule picks; the rest also covered
// every instant of the segment (in the same preference order) and serve as
// fallbacks when it cannot be read.
// `stored_only`: no session covered it, only stored files do — read for late or
// backfilled ticks; what it turns out not to hold is a gap after all.
struct Segment {
  std::uint32_t contract_id = 0;
  query::TimeRange range;
  std::vector<InstanceRef> sources;
  bool stored_only = false;
  bool operator==(const Segment&) const = default;
};

struct CoveragePlan {
  std::uint32_t contract_id = 0;
  query::TimeRange range;
  std::vector<Segment> segments;        // oldest first, disjoint
  std::vector<query::TimeRange> gaps;   // where no instance covered the contract, oldest first
};

// Plans `range` for `contract_id` from `rows` (rows of other contracts are
// ignored; rows may be in any order and need not be clipped). The rule, at
// every instant: among the sessions covering it, the one that started first
// (ties: instance name, then session id); adjacent instants with the same
// choice form one segment. A segment that ends where its instance's coverage
// ends and no session takes over at that instant keeps that one last
// microsecond too (a session ended by its last tick, as an ingest or a
// crashed session is, would otherwise lose that tick). Where no session
// covers an instant but stored files do, those instances supply it (by
// instance name) in a `stored_only` segment; sessions' instances come first
// everywhere, files-only instances after them as fallbacks.
CoveragePlan PlanCoverage(const std::vector<CoverageRow>& rows, std::uint32_t contract_id, query::TimeRange range);

// PlanCoverage for each contract, in the order given.
std::vector<CoveragePlan> PlanContracts(const std::vector<CoverageRow>& rows, const std::vector<std::uint32_t>& contracts,
                                        query::TimeRange range);

}  // namespace ibr::federation
