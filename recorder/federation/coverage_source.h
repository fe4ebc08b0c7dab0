// CoverageSource: where a federated query learns which instances covered a
// contract over a range (the central PostgreSQL in production, a table in
// tests). Implementations say which threads may call them.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "federation/coverage_plan.h"
#include "query/time_range.h"

namespace ibr::federation {

class CoverageSource {
 public:
  virtual ~CoverageSource() = default;
  // Coverage rows of `contract_id` overlapping `range` (any order).
  virtual Result<std::vector<CoverageRow>> Coverage(std::uint32_t contract_id, query::TimeRange range) = 0;
};

}  // namespace ibr::federation
