// `ib-recorder backup`.
#include "cli/backup_command.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "cli/store_settings.h"
#include "common/json_text.h"
#include "storage/backup.h"

namespace ibr::cli {

int RunBackup(const BackupOptions& options, const Clock& clock) {
  auto root = StorageRoot(options.storage);
  if (!root.ok()) {
    std::cerr << "ib-recorder backup: " << root.status().message() << "\n";
    return kExitUsage;
  }
  if (options.to.empty()) {
    std::cerr << "ib-recorder backup: --to DIR is required (a new or empty directory for the copy)\n";
    return kExitUsage;
  }
  FileSystem& fs = PosixFileSystem::Instance();
  if (!storage::IsMissingOrEmptyDir(fs, options.to)) {
    std::cerr << "ib-recorder backup: --to " << options.to << " is not empty: give a new or empty directory\n";
    return kExitUsage;
  }
  auto r = storage::BackupStore(*root, options.to, fs, clock);
  if (!r.ok()) {
    std::cerr << "ib-recorder backup: " << r.status().message() << "\n";
    return r.status().code() == StatusCode::kNotFound ? kExitUsage : kExitFailed;
  }
  if (options.json) {
    nlohmann::json j;
    j["to"] = options.to;
    j["sealed_files"] = r->sealed_files;
    j["open_files"] = r->open_files;
    j["sealed_meanwhile"] = r->sealed_meanwhile;
    j["bytes"] = r->bytes;
    j["ticks"] = r->ticks;
    j["other_files"] = r->other_files;
    j["left_out_empty"] = r->left_out_empty;
    j["verified"] = true;
    j["notes"] = r->notes;
    std::cout << SafeDump(j) << "\n";
    return kExitOk;
  }
  for (const auto& n : r->notes) std::cout << "note: " << n << "\n";
  std::cout << "backed up " << *root << " into " << options.to << ": " << r->sealed_files << " sealed and "
            << r->open_files << " open files (up to their durable size), " << r->ticks << " ticks, " << r->bytes
            << " bytes; the copy verifies\n";
  return kExitOk;
}

}  // namespace ibr::cli
