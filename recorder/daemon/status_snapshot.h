// Pieces of a RecorderStatus that the writing, read-only and passthrough recorders
// fill the same way: identity from the configuration, and file/byte totals
// from the catalog's daily statistics. Pure functions over their arguments;
// the Catalog is used by the calling thread.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "catalog/catalog.h"
#include "daemon/recorder_config.h"
#include "daemon/recorder_status.h"

namespace ibr::daemon {

// environment, version, host, port, storage path, source, upstream (sse only).
RecorderStatus StatusFromConfig(const RecorderConfig& config);

// One ContractStatus per tracked contract (tracked, its tick types and buffer hours; not connected).
std::vector<ContractStatus> TrackedContractStatus(const RecorderConfig& config);

struct CatalogTotals {
  std::uint64_t files_today = 0, bytes_today = 0;  // UTC day of `now`
  std::uint64_t files_total = 0, bytes_total = 0;
  std::uint64_t files_sealed = 0;                  // tick_files rows sealed, whichever session sealed them
};
// Sums daily_tick_stats and counts sealed tick_files; `each` (may be null) sees every daily row.
Result<CatalogTotals> ReadCatalogTotals(catalog::Catalog& catalog, TimeUs now,
                                        const std::function<void(const catalog::DailyTickStatsRow&)>& each = nullptr);

}  // namespace ibr::daemon
