// CentralTimeline: asks the central PostgreSQL (libpqxx 6.4) which instances
// covered a contract over a range — contract_timeline() joined with each
// session's start — and where their files hold ticks of it (tick_files spans,
// stored rows), as CoverageRows for the planner. Works with the read-only
// ib_reporter role. Owns one connection; one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "federation/coverage_plan.h"
#include "federation/coverage_source.h"
#include "query/time_range.h"

namespace ibr::federation {

class CentralTimeline final : public CoverageSource {
 public:
  // Connects with libpq conventions: `dsn` as given, or (empty) the PG*
  // variables, ~/.pgpass / PGPASSFILE, sslmode. Unavailable when the server
  // cannot be reached; messages never show a password.
  static Result<std::unique_ptr<CentralTimeline>> Connect(const std::string& dsn);
  ~CentralTimeline() override;

  // contract_timeline(contract, range.start, range.end) with session starts,
  // then the stored spans (one per instance and hour bucket, `stored` set).
  // FailedPrecondition when the central schema is missing or the role may not
  // read it; Unavailable when the connection is lost.
  Result<std::vector<CoverageRow>> Coverage(std::uint32_t contract_id, query::TimeRange range) override;

 private:
  struct Connection;  // the pqxx connection (kept out of this header)
  CentralTimeline(std::unique_ptr<Connection> c, std::string dsn);
  std::unique_ptr<Connection> conn_;
  std::string dsn_;  // shown only masked
};

}  // namespace ibr::federation
