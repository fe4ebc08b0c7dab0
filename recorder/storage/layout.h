// Layout: the one place that knows every on-disk name under a storage root
// (DESIGN.md "On disk"). Pure functions; paths returned relative to the root
// unless the name says Abs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/tick.h"

namespace ibr::storage {

// protobuf/{contract_id}/{tick_type}/YYYY/MM/DD/HH_ticks[.partN].pb[.lz4]
std::string TickFileRelPath(std::uint32_t contract_id, TickType tt, TimeUs hour_bucket, int part, bool sealed);

struct TickFileName {
  std::uint32_t contract_id = 0;
  TickType tick_type = TickType::kBidAsk;
  TimeUs hour_bucket = 0;
  int part = 1;
  bool sealed = false;
};
// Parses a relative path made by TickFileRelPath; nullopt for anything else
// (temp files, strays).
std::optional<TickFileName> ParseTickFileRelPath(std::string_view rel);

std::string JoinPath(std::string_view root, std::string_view rel);
std::string ProtobufDir(std::string_view root);                 // {root}/protobuf
std::string MetadataDir(std::string_view root);                 // {root}/metadata
std::string CatalogPath(std::string_view root);                 // {root}/metadata/catalog.sqlite
std::string SyncStatePath(std::string_view root);               // {root}/metadata/sync-state.json
std::string RejectsPath(std::string_view root, TimeUs day);     // {root}/rejects/YYYY-MM-DD.ndjson
std::string LockPath(std::string_view root);                    // {root}/.lock

}  // namespace ibr::storage
