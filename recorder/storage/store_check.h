// StoreCheck: compares every tick file under a storage root with its checksum
// and with the catalog, and (in repair mode) makes them agree.
//
// This is both crash recovery (run by every writer when it opens a root) and
// `verify [--repair]`. Check mode only reads. Repair mode needs the root's lock
// and a read-write catalog: it removes temp files, cuts torn tails past the
// durable size the catalog records, takes damaged frames and headers out of
// open files (their bytes kept under quarantine/, the frames after them
// kept: resynchronisation, FORMAT.md), finishes
// or redoes interrupted seals, quarantines unreadable files, rewrites catalog
// rows from what the files really hold, drops rows whose files are gone,
// recomputes daily stats and closes sessions left active as failed. Each
// problem is listed with what repair does (or did) about it. Empty files,
// orphan files and orphan rows are their own kinds (orphan_files.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"

namespace ibr::storage {

// What a problem is, for reports that count them (verify --json).
enum class ProblemKind { kInconsistency, kEmptyFile, kOrphanFile, kOrphanRow };
const char* ProblemKindName(ProblemKind k);  // "inconsistency" | "empty_file" | "orphan_file" | "orphan_row"

struct StoreProblem {
  ProblemKind kind = ProblemKind::kInconsistency;
  std::string file;    // relative path, or "catalog" / "session N"
  std::string what;    // what is wrong
  std::string repair;  // what --repair does (check mode) or did (repair mode)
};

struct StoreCheckOptions {
  std::string root;
  std::string instance_name;
  bool repair = false;
  // Check mode beside a live writer: open files may be ahead of the catalog
  // and may end in a write in progress; do not call that a problem.
  bool writer_active = false;
  // Report empty tick files (no ticks) as problems; in repair mode remove them.
  // Off for the recovery every writer runs at open (a new hour's file may be
  // empty); on for `verify` and `verify --repair`.
  bool report_empty = false;
};

struct StoreCheckReport {
  std::vector<StoreProblem> problems;
  std::vector<std::string> notes;       // not problems: strays, skipped files
  std::uint64_t files_checked = 0;
  std::uint64_t ticks = 0;              // whole, valid ticks found
  std::uint64_t dropped_bytes = 0;      // cut off (repair mode)
  std::uint64_t dropped_ticks = 0;      // unreadable ticks in quarantined files, when known
  std::uint64_t quarantined_bytes = 0;  // damaged bytes taken out of files and kept under quarantine/ (repair mode)
  std::uint64_t duplicate_ticks = 0;    // ticks identical to one stored before them (reported, kept)
  std::uint64_t empty_files = 0;        // tick files without a tick (report_empty)
  std::uint64_t orphan_files = 0;       // tick files without a catalog row
  std::uint64_t orphan_rows = 0;        // catalog rows without a file
  std::uint64_t next_arrival_seq = 1;   // one above the highest sequence on disk
  TimeUs last_tick_time = 0;            // latest tick timestamp on disk
};

Result<StoreCheckReport> CheckStore(const StoreCheckOptions& options, FileSystem& fs, catalog::Catalog& catalog,
                                    const Clock& clock);

// True when the lock file names a process that is still alive (a writer is
// running). Reads only; never takes the lock.
bool WriterActive(const std::string& root);

}  // namespace ibr::storage
