// LegacyImport: `ib-recorder import` — reads a Python ib-stream storage tree
// (v2 JSON, v2 protobuf, v3 JSON, v3 protobuf, mixed; see LEGACY_FORMATS.md)
// into a Store through the storage engine's batch ingest (the same v2
// validation, partitioning, catalog session, sealing as `ingest`).
//
// Every record read ends up in exactly one of: imported, skipped (by reason;
// bad input also quarantined), duplicates (the same tick, TickIdentity, seen
// earlier in the tree — a JSON/protobuf twin — or already in the store).
// The tree's content hash is recorded; the same tree is refused a second time
// unless forced (and even then ticks already stored are not stored again).
// Runs on the calling thread, which must own the Store.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/store.h"

namespace ibr::legacy {

struct ImportOptions {
  std::string from;      // the tree's root directory
  bool force = false;    // import even if this tree (same content hash) was imported before
  bool seal = true;      // seal hours older than the grace period at the end
};

struct ImportReport {
  std::int64_t read = 0;        // records found: lines, frames, torn tails
  std::int64_t imported = 0;    // ticks stored (handed to the engine: with store_error, not all may be durable)
  std::map<std::string, std::int64_t> skipped;  // by reason
  std::int64_t duplicates = 0;  // same tick seen before (in the tree or in the store)
  std::int64_t already_stored = 0;  // of duplicates: those found in the store
  std::map<std::string, std::int64_t> files;    // files read, by layout ("v2_json", ...)
  std::vector<std::string> ignored_files;       // neither .jsonl nor .pb (relative paths)
  std::vector<std::string> unreadable_files;    // "<relative path>: <why>"
  std::string tree_hash;
  std::int64_t session_id = 0;
  std::int64_t tick_files = 0;  // our tick files written to
  TimeUs first_tick = 0, last_tick = 0;  // of the imported ticks (0 when none)
  int sealed = 0;
  std::vector<std::string> seal_errors;
  std::string quarantine_path;  // where skipped bad records were kept ("" when none)
  std::vector<std::string> notes;  // things the operator should know (e.g. v2 and v3 copies side by side)
  std::string store_error;      // why storing stopped, when it did
};

// Errors: AlreadyExists when the tree was imported before (and !force);
// others when the tree cannot be listed or the store cannot be written at all.
Result<ImportReport> ImportLegacyTree(storage::Store& store, const ImportOptions& options);

}  // namespace ibr::legacy
