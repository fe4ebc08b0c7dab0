// Retention: removes sealed tick files older than their tick type's retention
// (IB_STREAM_RETENTION_DAYS[_<TICK TYPE>]), or moves them to the archive root
// (IB_STREAM_ARCHIVE_PATH, same relative paths) instead. Never an open file or
// the open hour. Each file's catalog row stays as the audit trail, marked
// deleted/archived with the time (the mark is committed before the file goes,
// so a crash leaves an orphan file verify adopts, never a lost row). Run by
// `ib-recorder retention` on the root's writer thread (it holds the lock),
// or read-only for a dry run.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"
#include "common/tick.h"

namespace ibr::storage {

struct RetentionPolicy {
  std::map<TickType, int> days;  // per tick type; 0 or absent: keep forever
  std::string archive_root;      // "": delete expired files
  bool Any() const;
};

struct RetentionTally {
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
};

struct RetentionReport {
  bool dry_run = false;
  bool archived = false;                          // moved (true) or deleted (false)
  std::map<TickType, RetentionTally> by_type;     // what was (dry run: would be) removed/archived
  std::vector<std::string> files;                 // their relative paths
  std::vector<std::string> errors;                // files that could not be removed (their rows stay marked)
  RetentionTally Total() const;
};

// Files whose hour ended at least `days` x 24 h before clock.Now(). `dry_run`:
// reports only (the catalog may be read-only).
Result<RetentionReport> ApplyRetention(const RetentionPolicy& policy, const std::string& root, FileSystem& fs,
                                       catalog::Catalog& catalog, const Clock& clock, bool dry_run);

}  // namespace ibr::storage
