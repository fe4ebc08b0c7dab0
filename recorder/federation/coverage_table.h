// CoverageTable: a CoverageSource over rows held in memory — the central
// timeline fetched up front (so a database error comes before any output),
// or a history stated by a test. Any thread, once filled.
#pragma once

#include <vector>

#include "federation/coverage_source.h"

namespace ibr::federation {

class CoverageTable final : public CoverageSource {
 public:
  CoverageTable() = default;
  explicit CoverageTable(std::vector<CoverageRow> rows) : rows_(std::move(rows)) {}
  void Add(std::vector<CoverageRow> rows) { rows_.insert(rows_.end(), rows.begin(), rows.end()); }
  // The rows of the contract that overlap `range` (the planner clips them).
  Result<std::vector<CoverageRow>> Coverage(std::uint32_t contract_id, query::TimeRange range) override {
    std::vector<CoverageRow> out;
    for (const auto& r : rows_) {
      if (r.contract_id == contract_id && r.coverage.start < range.end && range.start < r.coverage.end) out.push_back(r);
    }
    return out;
  }

 private:
  std::vector<CoverageRow> rows_;
};

}  // namespace ibr::federation
