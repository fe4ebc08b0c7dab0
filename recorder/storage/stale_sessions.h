// StaleSessions: collection sessions left `active` by a writer that stopped
// without closing them (crash, kill). StoreCheck lists each and, in repair
// mode, closes it `failed` at its last durable tick. Writer thread (recovery).
#pragma once

#include <vector>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/status.h"
#include "storage/store_check.h"

namespace ibr::storage {

// `last_tick_on_disk`: the end used for a session whose contracts recorded no tick time.
Status CloseStaleSessions(catalog::Catalog& catalog, TimeUs last_tick_on_disk, bool repair,
                          std::vector<StoreProblem>& problems);

}  // namespace ibr::storage
