// DamageQuarantine: keeps the bytes recovery takes out of a tick file (a damaged
// frame between valid ones, a damaged header, a damaged tail inside what the
// catalog recorded as durable) under {storage}/quarantine/, so repair never
// deletes stored bytes unseen. Stateless; called by the root's one writer
// (recovery, `verify --repair`, the sealer thread).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/file_system.h"
#include "common/status.h"

namespace ibr::storage {

// Writes `bytes` (taken from byte `offset` of the tick file `rel`, relative
// to the root) crash-safely to quarantine/{rel}.at-{offset}.damaged and
// returns that relative path.
Result<std::string> QuarantineDamagedBytes(FileSystem& fs, const std::string& root, const std::string& rel,
                                           std::uint64_t offset, std::string_view bytes);

}  // namespace ibr::storage
