// `ib-recorder retention --storage S [--dry-run] [--json]`: applies the
// retention settings (IB_STREAM_RETENTION_DAYS[_<TICK TYPE>], IB_STREAM_ARCHIVE_PATH)
// by hand (storage/retention.h) and reports files and bytes per tick type
// removed or archived. A writer (takes the lock); --dry-run is a reader.
// Exit codes: 0 done (also when nothing expired); 1 could not (another writer
// holds the root, I/O, some files could not be removed); 2 usage or a bad setting.
#pragma once

#include <string>

#include "common/clock.h"

namespace ibr::cli {

struct RetentionOptions {
  std::string storage;
  bool dry_run = false;
  bool json = false;
};

int RunRetention(const RetentionOptions& options, const Clock& clock);

}  // namespace ibr::cli
