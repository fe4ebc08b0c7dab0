// ib-sync settings from the command line, the process environment, an env
// file and defaults — in that order of precedence (DESIGN.md "Ports and
// environments"). The database address is libpq's: --dsn / IB_SYNC_DSN, else
// the PG* variables (an env file may set them; they are exported for libpq
// unless the process environment already has them). Pure functions.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "common/env_file.h"

namespace ibr::sync {

struct SyncSettings {
  std::string storage_root;             // default: /var/lib/ib-recorder/{IB_STREAM_ENVIRONMENT}
  std::string dsn;                      // empty: PG* variables
  TimeUs interval = kUsPerSecond;
  std::size_t batch_rows = 5000;
};

struct CliSettings {  // what the command line said (unset: not given)
  std::optional<std::string> storage, dsn, interval, batch_rows;
};

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// Keys (config/settings_registry.h): IB_STREAM_ENVIRONMENT, IB_STREAM_STORAGE_PATH, IB_SYNC_DSN,
// IB_SYNC_INTERVAL_MS, IB_SYNC_BATCH_ROWS.
Result<SyncSettings> ResolveSettings(const CliSettings& cli, const EnvLookup& process_env, const EnvMap& env_file);

// Env-file variables libpq reads (PG*) that the process environment lacks.
std::vector<std::pair<std::string, std::string>> LibpqVariablesToExport(const EnvMap& env_file,
                                                                        const EnvLookup& process_env);

// True when a central database is named: a DSN, or a libpq variable that picks a server, a
// service or a database (PGHOST, PGHOSTADDR, PGSERVICE, PGDATABASE) in the process
// environment. `ib-sync run` without one waits (and says why) instead of failing over and over.
bool CentralDatabaseConfigured(const SyncSettings& settings, const EnvLookup& process_env);

// "1s", "2m", "1h30m" (ParseDuration) or "<N>ms"; must be > 0.
Result<TimeUs> ParseInterval(std::string_view text);

}  // namespace ibr::sync
