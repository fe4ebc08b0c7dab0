// Backup: catalog snapshot + the files it lists.
#include "storage/backup.h"

#include <sqlite3.h>

#include <algorithm>
#include <memory>

#include "catalog/catalog.h"
#include "catalog/sqlite_db.h"
#include "common/time_text.h"
#include "storage/file_copy.h"
#include "storage/layout.h"
#include "storage/stale_sessions.h"

namespace ibr::storage {
namespace {

// SQLite's online backup of the live catalog into `to` (one read snapshot).
Status SnapshotCatalog(const std::string& from, const std::string& to) {
  auto src = catalog::SqliteDb::Open(from, catalog::SqliteDb::Mode::kReadOnly);
  if (!src.ok()) return src.status();
  sqlite3* dst = nullptr;
  int rc = sqlite3_open_v2(to.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> closer(dst, sqlite3_close);
  if (rc != SQLITE_OK) return Status::IoError("backup: cannot create " + to + ": " + sqlite3_errstr(rc));
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", (*src)->raw(), "main");
  if (b == nullptr) return Status::IoError("backup of " + from + " into " + to + ": " + sqlite3_errmsg(dst));
  rc = sqlite3_backup_step(b, -1);  // every page in one step: one consistent snapshot
  const int fin = sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE || fin != SQLITE_OK) {
    return Status::IoError("backup of " + from + " into " + to + " failed: " + sqlite3_errstr(rc != SQLITE_DONE ? rc : fin) +
                           " (is the disk full? run it again)");
  }
  return Status::Ok();
}

class BackupRun {
 public:
  BackupRun(const std::string& root, const std::string& to, FileSystem& fs, const Clock& clock)
      : root_(root), to_(to), fs_(fs), clock_(clock) {}
  Result<BackupReport> Run();

 private:
  Status CopyRow(catalog::Catalog& copy, catalog::Catalog& live, catalog::TickFileRow row);
  Status CloseActiveSessions(catalog::Catalog& copy);

  std::string root_, to_;
  FileSystem& fs_;
  const Clock& clock_;
  BackupReport report_;
};

Status BackupRun::CopyRow(catalog::Catalog& copy, catalog::Catalog& live, catalog::TickFileRow row) {
  if (row.message_count == 0) {
    ++report_.left_out_empty;
    return copy.DeleteTickFile(row.contract_id, row.tick_type, row.hour_bucket, row.part);
  }
  const std::uint64_t durable = static_cast<std::uint64_t>(std::max<std::int64_t>(0, row.file_size_bytes));
  const bool open = row.status == catalog::FileStatus::kOpen;
  auto n = CopyFileBytes(fs_, JoinPath(root_, row.file_path), JoinPath(to_, row.file_path),
                         open ? std::optional<std::uint64_t>(durable) : std::nullopt);
  if (!n.ok() && n.status().code() == StatusCode::kNotFound && open) {
    // Sealed between the snapshot and now: copy the sealed file with its live row.
    auto now = live.GetTickFile(row.contract_id, row.tick_type, row.hour_bucket, row.part);
    if (!now.ok()) return now.status();
    if (!now->has_value() || (*now)->status != catalog::FileStatus::kSealed) {
      return Status::IoError("backup: " + row.file_path + " disappeared while it was copied and no sealed file " +
                             "replaced it; run the backup again");
    }
    ++report_.sealed_meanwhile;
    IBR_RETURN_IF_ERROR(fs_.Remove(JoinPath(to_, row.file_path)));
    auto id = copy.UpsertTickFile(**now);
    if (!id.ok()) return id.status();
    return CopyRow(copy, live, **now);
  }
  if (!n.ok()) {
    if (n.status().code() == StatusCode::kNotFound) {
      report_.notes.push_back(row.file_path + ": removed while the backup ran (retention?); left out");
      return copy.DeleteTickFile(row.contract_id, row.tick_type, row.hour_bucket, row.part);
    }
    return n.status();
  }
  if (open && *n != durable) {
    return Status::IoError("backup: copied " + std::to_string(*n) + " bytes of " + row.file_path + ", the catalog records " +
                           std::to_string(durable) + " as durable; run the backup again");
  }
  ++(open ? report_.open_files : report_.sealed_files);
  report_.bytes += *n;
  report_.ticks += static_cast<std::uint64_t>(row.message_count);
  return Status::Ok();
}

Status BackupRun::CloseActiveSessions(catalog::Catalog& copy) {
  auto active = copy.ListSessions(catalog::SessionStatus::kActive);
  if (!active.ok()) return active.status();
  for (auto s : *active) {
    s.termination_reason = "the storage root was copied by `ib-recorder backup` at " + FormatIsoTimestamp(clock_.Now()) +
                           " while this session ran; the copy ends at its last durable tick";
    IBR_RETURN_IF_ERROR(copy.UpdateSession(s));
  }
  std::vector<StoreProblem> closed;
  TimeUs last = 0;
  auto rows = copy.ListTickFiles();
  if (!rows.ok()) return rows.status();
  for (const auto& r : *rows) {
    if (r.message_count > 0) last = std::max(last, r.end_time);
  }
  IBR_RETURN_IF_ERROR(CloseStaleSessions(copy, last, true, closed));
  for (const auto& p : closed) report_.notes.push_back(p.file + ": " + p.repair + " in the copy (it was running)");
  return Status::Ok();
}

Result<BackupReport> BackupRun::Run() {
  if (!fs_.Exists(CatalogPath(root_))) {
    return Status::NotFound("no catalog at " + CatalogPath(root_) + ": " + root_ + " is not a storage root");
  }
  if (!IsMissingOrEmptyDir(fs_, to_)) {
    return Status::FailedPrecondition("backup target " + to_ + " is not empty: give a new directory");
  }
  IBR_RETURN_IF_ERROR(fs_.CreateDirs(MetadataDir(to_)));
  const std::string tmp = CatalogPath(to_) + ".tmp";
  IBR_RETURN_IF_ERROR(SnapshotCatalog(CatalogPath(root_), tmp));
  IBR_RETURN_IF_ERROR(fs_.Rename(tmp, CatalogPath(to_)));
  IBR_RETURN_IF_ERROR(fs_.SyncDir(MetadataDir(to_)));
  {
    auto copy = catalog::Catalog::Open(CatalogPath(to_), catalog::Catalog::Mode::kReadWrite, clock_);
    if (!copy.ok()) return copy.status();
    auto live = catalog::Catalog::Open(CatalogPath(root_), catalog::Catalog::Mode::kReadOnly, clock_);
    if (!live.ok()) return live.status();
    auto rows = (*copy)->ListTickFiles();
    if (!rows.ok()) return rows.status();
    catalog::Transaction txn((*copy)->db());
    IBR_RETURN_IF_ERROR(txn.status());
    for (const auto& r : *rows) IBR_RETURN_IF_ERROR(CopyRow(**copy, **live, r));
    IBR_RETURN_IF_ERROR(CloseActiveSessions(**copy));
    IBR_RETURN_IF_ERROR((*copy)->RecomputeAllDailyStats());
    IBR_RETURN_IF_ERROR(txn.Commit());
  }
  for (const char* dir : {"rejects", "quarantine"}) {
    if (!fs_.Exists(JoinPath(root_, dir))) continue;
    auto t = CopyTree(fs_, JoinPath(root_, dir), JoinPath(to_, dir));
    if (!t.ok()) return t.status();
    report_.other_files += t->files;
  }
  auto checked = VerifyStorageRoot(to_, fs_, clock_);
  if (!checked.ok()) return checked.status().WithContext("the copy");
  report_.check = std::move(checked.value());
  return report_;
}

}  // namespace

Result<StoreCheckReport> VerifyStorageRoot(const std::string& root, FileSystem& fs, const Clock& clock) {
  auto cat = catalog::Catalog::Open(CatalogPath(root), catalog::Catalog::Mode::kReadOnly, clock);
  if (!cat.ok()) return cat.status();
  StoreCheckOptions check;
  check.root = root;
  check.report_empty = true;
  auto r = CheckStore(check, fs, **cat, clock);
  if (!r.ok()) return r.status();
  if (!r->problems.empty()) {
    const auto& p = r->problems.front();
    return Status::Corruption(root + " does not verify (" + std::to_string(r->problems.size()) + " problems; first: " +
                              p.file + ": " + p.what + "); run `ib-recorder verify --storage " + root + "` for all of them");
  }
  return r;
}

bool IsMissingOrEmptyDir(FileSystem& fs, const std::string& dir) {
  if (!fs.Exists(dir)) return true;
  auto entries = fs.ListDir(dir);
  return entries.ok() && entries->empty();
}

Result<BackupReport> BackupStore(const std::string& root, const std::string& to, FileSystem& fs, const Clock& clock) {
  BackupRun run(root, to, fs, clock);
  return run.Run();
}

}  // namespace ibr::storage
