// SyncLag: what ib-sync last wrote to {storage}/metadata/sync-state.json
// (state, rows and seconds behind, last success, last error), read for the
// status page and /metrics. The recorder does not link the sync agent, so it
// reads the file's documented keys itself. Any thread; reads the file per call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/file_system.h"

namespace ibr::http {

struct SyncLag {
  std::string state;                         // starting | syncing | caught_up | unreachable | error | ...
  std::optional<std::int64_t> rows_behind;
  std::optional<double> seconds_behind;
  std::optional<TimeUs> last_success;
  std::string last_error;                    // as written (ib-sync masks secrets)
  std::optional<TimeUs> updated_at;
};

// nullopt when the file does not exist (the sync agent has never run here).
// A file that cannot be read or parsed gives state "unreadable" and the reason
// in last_error.
std::optional<SyncLag> ReadSyncLag(FileSystem& fs, const std::string& storage_root);

}  // namespace ibr::http
