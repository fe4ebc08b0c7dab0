// Restore: a verified backup copied into place with a new catalog generation.
#include "storage/restore.h"

#include <unistd.h>

#include <random>

#include "catalog/catalog.h"
#include "catalog/sqlite_db.h"
#include "storage/backup.h"
#include "storage/file_copy.h"
#include "storage/layout.h"
#include "storage/store_check.h"

namespace ibr::storage {
namespace {

std::string NewGenerationId() {
  std::random_device rd;
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) out += kHex[rd() % 16];
  return out;
}

}  // namespace

Result<RestoreReport> RestoreStore(const std::string& from, const std::string& root, FileSystem& fs, const Clock& clock) {
  RestoreReport report;
  if (!fs.Exists(CatalogPath(from))) {
    return Status::NotFound(from + " is not a backup (no " + CatalogPath(from) + "); give a directory made by `ib-recorder backup`");
  }
  if (WriterActive(root)) {
    return Status::Busy(root + " is locked by a running writer (" + LockPath(root) + "); stop it before restoring");
  }
  if (!IsMissingOrEmptyDir(fs, root)) {
    return Status::FailedPrecondition(root + " is not empty: restore only into a new or empty directory "
                                      "(move the old root aside first, e.g. mv " + root + " " + root + ".old)");
  }
  auto backup = VerifyStorageRoot(from, fs, clock);
  if (!backup.ok()) return backup.status();
  report.tick_files = backup->files_checked;
  report.ticks = backup->ticks;
  std::string parent = DirName(root);
  IBR_RETURN_IF_ERROR(fs.CreateDirs(parent));
  const std::string tmp = root + ".restore-tmp-" + std::to_string(::getpid());
  if (fs.Exists(tmp)) return Status::FailedPrecondition(tmp + " exists (an interrupted restore?): remove it and run again");
  auto copied = CopyTree(fs, from, tmp);
  if (!copied.ok()) return copied.status().WithContext("restoring into " + tmp + " (remove it before trying again)");
  report.files = copied->files;
  report.bytes = copied->bytes;
  {
    auto db = catalog::SqliteDb::Open(CatalogPath(tmp), catalog::SqliteDb::Mode::kReadWrite);
    if (!db.ok()) return db.status();
    report.generation_id = NewGenerationId();
    IBR_RETURN_IF_ERROR((*db)->Exec("UPDATE catalog_meta SET value = '" + report.generation_id +
                                    "' WHERE key = 'generation_id'"));
  }
  auto restored = VerifyStorageRoot(tmp, fs, clock);
  if (!restored.ok()) return restored.status();
  // rename(2) replaces an empty directory, so an empty target is taken over in one step.
  IBR_RETURN_IF_ERROR(fs.Rename(tmp, root));
  IBR_RETURN_IF_ERROR(fs.SyncDir(parent));
  return report;
}

}  // namespace ibr::storage
