// Backup: a consistent copy of a storage root taken beside its running writer
// (`ib-recorder backup`). The catalog is copied with SQLite's online backup
// API (one snapshot); then every file that snapshot lists: sealed files whole,
// open files up to the durable size the snapshot records (their last durable
// frame), a file sealed meanwhile as its sealed file with the live row. Empty
// files are left out; sessions active in the snapshot are closed `failed` at
// their last durable tick in the copy (the copy ends there). The copy is then
// checked as `verify` would. A reader: takes no lock. One thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"
#include "storage/store_check.h"

namespace ibr::storage {

struct BackupReport {
  std::uint64_t sealed_files = 0;
  std::uint64_t open_files = 0;       // copied up to their durable size
  std::uint64_t sealed_meanwhile = 0; // open in the snapshot, sealed before they were copied
  std::uint64_t bytes = 0;            // tick file bytes copied
  std::uint64_t ticks = 0;            // ticks the copy's catalog lists
  std::uint64_t other_files = 0;      // rejects/ and quarantine/ files
  std::uint64_t left_out_empty = 0;   // files without a tick
  std::vector<std::string> notes;
  StoreCheckReport check;             // the copy as verify sees it (no problems on success)
};

// `to` must not exist or be an empty directory. FailedPrecondition when the
// copy does not verify (its problems are in the message).
Result<BackupReport> BackupStore(const std::string& root, const std::string& to, FileSystem& fs, const Clock& clock);

// `root` as `verify` sees it (empty files count): Corruption naming the first
// problem and how many there are, else the report.
Result<StoreCheckReport> VerifyStorageRoot(const std::string& root, FileSystem& fs, const Clock& clock);

// True when `dir` does not exist or is an empty directory.
bool IsMissingOrEmptyDir(FileSystem& fs, const std::string& dir);

}  // namespace ibr::storage
