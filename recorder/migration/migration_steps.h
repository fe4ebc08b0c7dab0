// MigrationSteps: the `migrate` workflow (seed 000 migration_events, seed 003
// blue-green). Each step records a migration_events row in the catalog of
// `storage` (started, then completed or failed, with validation_results), so
// ib-sync carries it centrally. Rows are written through SQLite (WAL, busy
// timeout) without the storage lock: no recorder writes migration_events, so a
// step runs beside the root's running recorder. Main thread of the CLI.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"
#include "migration/continuity_check.h"

namespace ibr::migration {

struct StepRequest {
  std::string step;     // prepare | handoff | validate | complete | rollback | switch
  std::string storage;  // the root whose catalog records the step
  std::string source, target;  // instance names ("" only for switch)
  std::vector<std::uint32_t> contracts;
  std::string migration_type = "blue_green";  // blue_green | rolling | maintenance
  std::string notes;
  // prepare
  std::string target_url, target_env_file;
  // validate (source_root defaults to storage)
  std::string source_storage, target_storage;
  TimeUs max_gap = 5 * kUsPerSecond;
  // rollback / switch
  std::string link, to;
};

struct StepOutcome {
  bool ok = false;  // false: the step failed (its row says failed, or nothing was open to close)
  std::int64_t event_id = 0;  // 0 when no row was written or changed
  std::string event_type, event_status;
  std::string message;             // one or more lines for people
  std::string validation_results;  // JSON text, "" when none
  std::string json;                // the whole answer for --json
};

// The steps, mapped to seed 000's event types: prepare -> preparation,
// handoff -> handoff (stays started), validate -> validation (its results also
// on the open handoff), complete -> closes the open handoff (completed,
// event_end), rollback -> rollback (and the open handoff failed), switch -> a
// handoff row of the forward link swap. Errors (InvalidArgument, NotFound,
// IoError ...) mean usage or unreadable storage: nothing decided.
Result<StepOutcome> RunStep(FileSystem& fs, const Clock& clock, const StepRequest& request);

// "blue_green" etc.; InvalidArgument naming the value otherwise.
Status CheckMigrationType(const std::string& type);

}  // namespace ibr::migration
