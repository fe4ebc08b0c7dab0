// `ib-recorder verify [--repair]`: checks every tick file against its checksum
// and the catalog. Without --repair it only reads (safe beside a running
// recorder). Exit codes: 0 consistent; 1 problems found (each listed: file,
// what, what --repair would do); 2 usage or I/O error. With --repair it
// recovers, fixes what can be fixed, says what it dropped, and exits 0 when
// the store is then consistent.
#pragma once

#include <string>

#include "common/clock.h"

namespace ibr::cli {

struct VerifyOptions {
  std::string storage;
  bool repair = false;
  bool json = false;
};

int RunVerify(const VerifyOptions& options, const Clock& clock);

}  // namespace ibr::cli
