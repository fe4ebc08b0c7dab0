// `ib-recorder ingest`: batch ingest of v2 NDJSON from a file or stdin.
// Exit codes: 0 input read to its end (rejects are reported, not fatal);
// 1 could not store (disk full, I/O error, lock held); 2 usage;
// 3 refused: this input was already ingested (use --force).
#pragma once

#include <string>

#include "common/clock.h"

namespace ibr::cli {

struct IngestOptions {
  std::string storage;
  std::string instance_name;
  std::string input = "-";
  bool json = false;
  bool force = false;
};

int RunIngest(const IngestOptions& options, const Clock& clock);

}  // namespace ibr::cli
