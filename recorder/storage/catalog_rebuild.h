// CatalogRebuild: `ib-recorder rebuild-catalog` — rebuilds the file-derived
// catalog tables (tick_files, daily_tick_stats, contracts) from the files and
// keeps the rest (sessions, events, migrations). When the catalog was lost
// entirely, the new one (a new generation) records one `reconstructed`
// session spanning the files. Takes the root's lock (a writer command).
#pragma once

#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"
#include "storage/store.h"

namespace ibr::storage {

struct RebuildReport {
  bool catalog_was_missing = false;
  std::uint64_t files = 0;
  std::uint64_t ticks = 0;
  std::int64_t reconstructed_session_id = 0;  // 0 when none was made
  StoreCheckReport check;                     // what had to be repaired on the way
};

Result<RebuildReport> RebuildCatalog(const StoreOptions& options, FileSystem& fs, const Clock& clock);

}  // namespace ibr::storage
