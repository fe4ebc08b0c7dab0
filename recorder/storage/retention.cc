// Retention: expired sealed files deleted or archived, rows marked.
#include "storage/retention.h"

#include <algorithm>

#include "storage/file_copy.h"
#include "storage/layout.h"

namespace ibr::storage {
namespace {

// Moves a file to the archive: rename within one file system, else copy, sync, remove.
Status MoveToArchive(FileSystem& fs, const std::string& from, const std::string& to) {
  IBR_RETURN_IF_ERROR(fs.CreateDirs(DirName(to)));
  if (fs.Rename(from, to).ok()) return fs.SyncDir(DirName(to));
  auto n = CopyFileBytes(fs, from, to);
  if (!n.ok()) return n.status();
  return fs.Remove(from);
}

}  // namespace

bool RetentionPolicy::Any() const {
  for (const auto& [tt, d] : days) {
    if (d > 0) return true;
  }
  return false;
}

RetentionTally RetentionReport::Total() const {
  RetentionTally t;
  for (const auto& [tt, x] : by_type) {
    t.files += x.files;
    t.bytes += x.bytes;
  }
  return t;
}

Result<RetentionReport> ApplyRetention(const RetentionPolicy& policy, const std::string& root, FileSystem& fs,
                                       catalog::Catalog& cat, const Clock& clock, bool dry_run) {
  RetentionReport report;
  report.dry_run = dry_run;
  report.archived = !policy.archive_root.empty();
  if (!policy.Any()) return report;
  const TimeUs now = clock.Now();
  auto rows = cat.ListTickFiles(catalog::FileStatus::kSealed);  // never an open file
  if (!rows.ok()) return rows.status();
  for (const auto& r : *rows) {
    auto it = policy.days.find(r.tick_type);
    if (it == policy.days.end() || it->second <= 0) continue;
    const TimeUs hour_end = r.hour_bucket + kUsPerHour;
    if (hour_end > now - static_cast<TimeUs>(it->second) * kUsPerDay) continue;
    RetentionTally& tally = report.by_type[r.tick_type];
    ++tally.files;
    tally.bytes += static_cast<std::uint64_t>(std::max<std::int64_t>(0, r.file_size_bytes));
    report.files.push_back(r.file_path);
    if (dry_run) continue;
    const auto state = report.archived ? catalog::RetentionState::kArchived : catalog::RetentionState::kDeleted;
    IBR_RETURN_IF_ERROR(cat.MarkTickFileRetired(r.contract_id, r.tick_type, r.hour_bucket, r.part, state, now));
    const std::string path = JoinPath(root, r.file_path);
    Status done = report.archived ? MoveToArchive(fs, path, JoinPath(policy.archive_root, r.file_path)) : fs.Remove(path);
    if (done.ok()) done = fs.SyncDir(DirName(path));
    if (!done.ok()) report.errors.push_back(r.file_path + ": " + done.message());
  }
  return report;
}

}  // namespace ibr::storage
