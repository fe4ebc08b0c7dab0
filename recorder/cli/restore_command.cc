// `ib-recorder restore`.
#include "cli/restore_command.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "cli/store_settings.h"
#include "common/json_text.h"
#include "storage/restore.h"

namespace ibr::cli {

int RunRestore(const RestoreOptions& options, const Clock& clock) {
  auto root = StorageRoot(options.storage);
  if (!root.ok()) {
    std::cerr << "ib-recorder restore: " << root.status().message() << "\n";
    return kExitUsage;
  }
  if (options.from.empty()) {
    std::cerr << "ib-recorder restore: --from DIR is required (a directory made by `ib-recorder backup`)\n";
    return kExitUsage;
  }
  auto r = storage::RestoreStore(options.from, *root, PosixFileSystem::Instance(), clock);
  if (!r.ok()) {
    std::cerr << "ib-recorder restore: " << r.status().message() << "\n";
    switch (r.status().code()) {
      case StatusCode::kNotFound: return kExitUsage;
      case StatusCode::kBusy:
      case StatusCode::kFailedPrecondition: return kExitRestoreRefused;
      default: return kExitFailed;
    }
  }
  if (options.json) {
    nlohmann::json j;
    j["from"] = options.from;
    j["storage"] = *root;
    j["files"] = r->files;
    j["bytes"] = r->bytes;
    j["tick_files"] = r->tick_files;
    j["ticks"] = r->ticks;
    j["generation_id"] = r->generation_id;
    std::cout << SafeDump(j) << "\n";
    return kExitOk;
  }
  std::cout << "restored " << options.from << " into " << *root << ": " << r->tick_files << " tick files, " << r->ticks
            << " ticks, " << r->files << " files in all; new catalog generation " << r->generation_id
            << " (ib-sync re-sends it)\n";
  return kExitOk;
}

}  // namespace ibr::cli
