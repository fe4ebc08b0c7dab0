// `ib-recorder restore --from DIR --storage S [--json]`: puts a backup in place
// as storage root S (storage/restore.h). Exit codes: 0 restored; 1 could not
// (I/O, the backup does not verify); 2 usage (DIR is not a backup); 3 refused:
// S is not empty or a running writer holds its lock (nothing changed).
#pragma once

#include <string>

#include "common/clock.h"

namespace ibr::cli {

inline constexpr int kExitRestoreRefused = 3;

struct RestoreOptions {
  std::string from;
  std::string storage;
  bool json = false;
};

int RunRestore(const RestoreOptions& options, const Clock& clock);

}  // namespace ibr::cli
