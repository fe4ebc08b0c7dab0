// FileCopy: copies files and directory trees through ibr::FileSystem, each
// file written, fdatasync'd and its directory synced (crash-safe: a copy is
// either whole or reported). Used by backup and restore. Any one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/file_system.h"
#include "common/status.h"

namespace ibr::storage {

// Copies `from` to `to` (created or truncated; parent directories made),
// at most `max_bytes` of it when given. Returns the bytes copied.
Result<std::uint64_t> CopyFileBytes(FileSystem& fs, const std::string& from, const std::string& to,
                                    std::optional<std::uint64_t> max_bytes = std::nullopt);

struct TreeCopy {
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
};
// Copies every file below `from` into `to` (same relative paths).
Result<TreeCopy> CopyTree(FileSystem& fs, const std::string& from, const std::string& to);

}  // namespace ibr::storage
