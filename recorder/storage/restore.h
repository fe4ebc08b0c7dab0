// Restore: puts a backup (made by `ib-recorder backup`) in place as a storage
// root (`ib-recorder restore`). Refuses a target that is not empty or whose
// lock a live writer holds; refuses a backup that does not verify. Copies into
// a temporary sibling, gives the catalog a new generation (ib-sync then
// re-sends everything instead of skipping changes it saw from the original),
// and renames it into place. A one-shot command; one thread.
#pragma once

#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"

namespace ibr::storage {

struct RestoreReport {
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
  std::uint64_t tick_files = 0;  // files the backup's catalog lists
  std::uint64_t ticks = 0;
  std::string generation_id;     // the restored catalog's new generation
};

// FailedPrecondition: the target is not empty or is locked (nothing changed);
// Busy: a live writer holds the target's lock; NotFound: `from` is not a backup;
// Corruption: it does not verify (its first problem in the message).
Result<RestoreReport> RestoreStore(const std::string& from, const std::string& root, FileSystem& fs, const Clock& clock);

}  // namespace ibr::storage
