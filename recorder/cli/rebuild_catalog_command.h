// `ib-recorder rebuild-catalog`: rebuilds tick_files, daily_tick_stats and
// contracts from the files (a writer: takes the lock). Exit 0 done; 1 could
// not; 2 usage.
#pragma once

#include <string>

#include "common/clock.h"

namespace ibr::cli {

struct RebuildCatalogOptions {
  std::string storage;
  std::string instance_name;
};

int RunRebuildCatalog(const RebuildCatalogOptions& options, const Clock& clock);

}  // namespace ibr::cli
