// FederatedQuery: the ticks of one contract over time ranges, across every
// instance that covered them — plan from the central timeline (CoveragePlan),
// read each segment from its instance (falling back to another instance that
// covered it when the chosen one cannot be read), and join the segments in
// timestamp order into one sink. Borrows its source and readers; one thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "federation/coverage_plan.h"
#include "federation/coverage_source.h"
#include "federation/instance_readers.h"
#include "query/query_engine.h"
#include "query/tick_sink.h"

namespace ibr::federation {

// A piece of a covered segment no instance could supply.
struct Hole {
  std::uint32_t contract_id = 0;
  query::TimeRange range;
  std::string why;  // each instance tried and what went wrong
};

// A piece actually read: from which instance, how many ticks.
struct SegmentRead {
  query::TimeRange range;
  std::string instance;
  std::string via;  // the reader's Describe()
  std::uint64_t ticks = 0;
};

struct FederatedStats {
  std::uint64_t ticks = 0;
  std::vector<SegmentRead> reads;
  // No instance covered the contract there (nothing to read), or only stored files did and
  // they held no tick there. Oldest first, neighbours joined.
  std::vector<query::TimeRange> gaps;
  std::vector<Hole> holes;             // covered, but no instance could be read: the output lacks these
  std::vector<std::string> notes;      // files skipped by local reads, late ticks found outside sessions, ...
  bool limit_reached = false;
};

class FederatedQuery {
 public:
  FederatedQuery(CoverageSource& coverage, ReaderProvider& readers) : coverage_(coverage), readers_(readers) {}

  // Streams `q` (its contract, tick types, ranges and limit) to `sink`.
  // Errors: the coverage source's (nothing was read) and the sink's (output
  // closed). An instance that cannot be read is not an error: its piece is a
  // Hole in the stats, and the rest of the answer is still produced.
  Result<FederatedStats> Run(const query::TickQuery& q, query::TickSink& sink);

 private:
  CoverageSource& coverage_;
  ReaderProvider& readers_;
};

}  // namespace ibr::federation
