// SyncLag: how far the central PostgreSQL is behind this root's catalog, for
// the status page and /metrics. ib-sync's {storage}/metadata/sync-state.json
// says what it last committed (generation, position), when it wrote that and
// when it will write again; the lag itself is counted in the catalog (changes
// above that position), so it grows while the agent is dead. A state file
// older than the agent's promised next write (rule in sync/SYNC.md) means the
// agent is down. Any thread; reads the file (and the catalog) per call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/file_system.h"

namespace ibr::http {

struct SyncLag {
  // As the agent wrote it (starting | syncing | caught_up | unreachable | error | waiting | stopped),
  // or "down" when the file is stale, "unreadable" when it cannot be read.
  std::string state;
  bool agent_up = false;                     // fresh file, agent syncing or caught up
  std::optional<std::int64_t> rows_behind;   // from the catalog (the file's value if the catalog cannot say)
  std::optional<double> seconds_behind;      // age of the oldest change PostgreSQL lacks
  bool lag_from_catalog = false;             // rows/seconds behind counted in the catalog now
  std::optional<std::int64_t> position;      // the agent's last committed change number
  std::optional<TimeUs> last_success;
  std::string last_error;                    // as written (ib-sync masks secrets), or why the agent is down
  std::optional<TimeUs> updated_at;
  std::optional<TimeUs> stale_after;         // the file counts as stale once older than this
};

// How old sync-state.json may get before the agent counts as down: the
// agent's announced wait before its next pass W (next_pass_in, else its poll
// interval, else 1 s), then max(3 x W, W + 15 s) — room for a connect timeout
// or a batch in flight.
TimeUs SyncStateStaleAfter(std::optional<TimeUs> poll_interval, std::optional<TimeUs> next_pass_in);

// nullopt when the file does not exist (the sync agent has never run here).
// `catalog` (may be null) is this root's catalog, read for the lag.
std::optional<SyncLag> ReadSyncLag(FileSystem& fs, const std::string& storage_root, catalog::Catalog* catalog,
                                   TimeUs now);

}  // namespace ibr::http
