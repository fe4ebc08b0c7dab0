// ContinuityCheck: does the target storage root carry on where the source
// root stopped? Per contract (its tick types merged): the gap between the
// source's last and the target's first tick within a tolerance, and the ticks
// both roots hold in their overlap equal. Shared by `migrate validate` and
// `validate-migration`. Read-only (catalogs opened read-only, whole frames
// only), so it runs beside live writers; one thread per call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"

namespace ibr::migration {

struct ContinuityOptions {
  std::string source_root;  // the old storage (blue, backup)
  std::string target_root;  // the new storage (green)
  std::vector<std::uint32_t> contracts;  // empty: every contract either root has files for
  TimeUs max_gap = 5 * kUsPerSecond;
  // The overlap is compared in slices of this length (bounds memory).
  TimeUs compare_slice = 10 * kUsPerMinute;
};

struct ContractContinuity {
  std::uint32_t contract_id = 0;
  bool ok = false;
  std::optional<TimeUs> source_last, target_first;
  TimeUs gap = 0;      // target_first - source_last when positive, else 0
  TimeUs overlap = 0;  // source_last - target_first when the roots overlap, else 0
  std::uint64_t overlap_source_ticks = 0, overlap_target_ticks = 0;
  std::uint64_t mismatched = 0;   // ticks of the overlap only one root holds (either side)
  std::string first_mismatch;     // the first such tick, described
  std::string problem;            // why !ok, one line; "" when ok
};

struct ContinuityReport {
  bool ok = false;  // every contract ok (and at least one checked)
  TimeUs max_gap = 0;
  std::string source_root, target_root;
  std::vector<ContractContinuity> contracts;
  std::vector<std::string> notes;  // files skipped while reading, and why
};

// Errors (InvalidArgument / NotFound / IoError / Corruption) when a root has no
// readable catalog or a file cannot be read: continuity was not decided.
Result<ContinuityReport> CheckContinuity(FileSystem& fs, const ContinuityOptions& options, const Clock& clock);

// {"ok", "max_gap", "source", "target", "contracts": [{"contract_id", "ok",
//  "source_last_tick", "target_first_tick", "gap_seconds", "overlap_seconds",
//  "overlap_ticks": {"source", "target"}, "mismatched", "first_mismatch", "problem"}], "notes"}
std::string ContinuityJson(const ContinuityReport& report);
// One line per contract plus a verdict, for people.
std::string ContinuityText(const ContinuityReport& report);

}  // namespace ibr::migration
