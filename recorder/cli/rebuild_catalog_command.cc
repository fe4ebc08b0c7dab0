// `ib-recorder rebuild-catalog`.
#include "cli/rebuild_catalog_command.h"

#include <iostream>

#include "cli/store_settings.h"
#include "storage/catalog_rebuild.h"

namespace ibr::cli {

int RunRebuildCatalog(const RebuildCatalogOptions& options, const Clock& clock) {
  auto so = StoreOptionsFromEnv(options.storage, options.instance_name, "rebuild-catalog");
  if (!so.ok()) {
    std::cerr << "ib-recorder rebuild-catalog: " << so.status().message() << "\n";
    return 2;
  }
  auto r = storage::RebuildCatalog(*so, PosixFileSystem::Instance(), clock);
  if (!r.ok()) {
    std::cerr << "ib-recorder rebuild-catalog: " << r.status().message() << "\n";
    return 1;
  }
  std::cout << "rebuilt the catalog from " << r->files << " files (" << r->ticks << " ticks)";
  if (r->catalog_was_missing) {
    std::cout << "; the catalog was missing: a new generation was started";
    if (r->reconstructed_session_id) std::cout << " with reconstructed session " << r->reconstructed_session_id;
  }
  std::cout << "\n";
  for (const auto& p : r->check.problems) {
    // Expected while rebuilding: every file is an orphan until it is adopted.
    if (p.kind == storage::ProblemKind::kOrphanFile || p.what.rfind("catalog row disagrees", 0) == 0) continue;
    std::cout << p.file << ": " << p.what << " — " << p.repair << "\n";
  }
  return 0;
}

}  // namespace ibr::cli
