// TickFileWalk: finds every tick file under {root}/protobuf by its identity
// (contract, tick type, hour bucket, part), with temporary files and strays
// (names that are not tick files) listed apart. Reads only; any thread.
// Used by StoreCheck (recovery, verify) and backup.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"
#include "common/tick.h"

namespace ibr::storage {

using FileKey = std::tuple<std::uint32_t, TickType, TimeUs, int>;

struct FoundFile {
  std::string open_rel;    // "" when absent
  std::string sealed_rel;  // "" when absent
};

struct TickFileTree {
  std::map<FileKey, FoundFile> files;
  std::vector<std::string> temps;   // relative paths of *.tmp* files (interrupted writes)
  std::vector<std::string> strays;  // relative paths that are not tick file names
};

// Walks {root}/protobuf (a missing directory is an empty tree).
Result<TickFileTree> WalkTickFiles(FileSystem& fs, const std::string& root);

}  // namespace ibr::storage
