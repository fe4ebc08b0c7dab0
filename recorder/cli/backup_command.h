// `ib-recorder backup --storage S --to DIR [--json]`: a consistent copy of a
// storage root, safe beside its running recorder (a reader: no lock), that
// `verify --storage DIR` passes (storage/backup.h). Exit codes: 0 done; 1 could
// not copy or the copy does not verify; 2 usage (no such root, DIR not empty).
#pragma once

#include <string>

#include "common/clock.h"

namespace ibr::cli {

struct BackupOptions {
  std::string storage;
  std::string to;
  bool json = false;
};

int RunBackup(const BackupOptions& options, const Clock& clock);

}  // namespace ibr::cli
