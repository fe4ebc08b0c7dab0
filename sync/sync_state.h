// SyncState: ib-sync's lag and health, as written to
// {storage}/metadata/sync-state.json for the recorder's status page, /metrics
// and `ib-sync status`. Written crash-safely (temp, fsync, rename); holds no
// secrets (errors are masked before they get here). Plain value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"

namespace ibr::sync {

struct SyncState {
  std::string instance_name;
  // starting | syncing | caught_up | unreachable | error | waiting | stopped
  std::string state = "starting";
  std::string generation;                      // catalog generation being replicated
  std::optional<std::int64_t> position;        // last change number PostgreSQL holds
  std::int64_t catalog_max_change_no = 0;
  std::optional<std::int64_t> rows_behind;     // catalog rows + tombstones not yet applied
  std::optional<double> seconds_behind;        // age of the oldest unapplied change
  std::optional<TimeUs> last_success;          // last time PostgreSQL held everything read
  std::optional<std::string> last_error;       // masked
  TimeUs updated_at = 0;
  // How often the agent writes this file: its poll interval, and the wait
  // before its next pass (backoff included; nullopt from one-shot commands).
  // Readers judge the file stale from these (SYNC.md "sync-state.json").
  std::optional<TimeUs> poll_interval;
  std::optional<TimeUs> next_pass_in;
};

std::string SyncStateToJson(const SyncState& s);  // one JSON object, with a newline
Result<SyncState> SyncStateFromJson(std::string_view text);

Status WriteSyncState(FileSystem& fs, const std::string& path, const SyncState& s);
Result<SyncState> ReadSyncState(FileSystem& fs, const std::string& path);

}  // namespace ibr::sync
