// `ib-recorder import --from DIR`: imports a Python ib-stream storage tree
// (recorder/legacy/LEGACY_FORMATS.md). A writer: takes the storage lock.
// Exit codes: 0 the tree was read to its end (skipped records are reported,
// not fatal); 1 could not store (lock held, disk full, I/O error) or a file
// of the tree could not be read (named on stderr); 2 usage
// (no --from, not a directory, bad settings); 3 refused: this tree (same
// content hash) was already imported (use --force).
#pragma once

#include <string>

#include "common/clock.h"

namespace ibr::cli {

struct ImportOptions {
  std::string from;
  std::string storage;
  std::string instance_name;
  bool json = false;
  bool force = false;
};

int RunImport(const ImportOptions& options, const Clock& clock);

}  // namespace ibr::cli
