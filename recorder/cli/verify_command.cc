// `ib-recorder verify`.
#include "cli/verify_command.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "cli/store_settings.h"
#include "common/json_text.h"
#include "storage/layout.h"
#include "storage/store.h"
#include "storage/store_check.h"

namespace ibr::cli {
namespace {

void Print(const storage::StoreCheckReport& r, bool repaired, bool json) {
  if (json) {
    nlohmann::json j;
    j["files_checked"] = r.files_checked;
    j["ticks"] = r.ticks;
    j["dropped_bytes"] = r.dropped_bytes;
    j["quarantined_bytes"] = r.quarantined_bytes;
    j["duplicate_ticks"] = r.duplicate_ticks;
    j["empty_files"] = r.empty_files;
    j["orphan_files"] = r.orphan_files;
    j["orphan_rows"] = r.orphan_rows;
    j["problems"] = nlohmann::json::array();
    for (const auto& p : r.problems) {
      j["problems"].push_back({{"kind", storage::ProblemKindName(p.kind)},
                               {"file", p.file},
                               {"what", p.what},
                               {repaired ? "repaired" : "repair", p.repair}});
    }
    j["notes"] = r.notes;
    std::cout << SafeDump(j, 2) << "\n";
    return;
  }
  for (const auto& p : r.problems) {
    std::cout << p.file << ": " << p.what << "\n    " << (repaired ? "repaired: " : "--repair would: ") << p.repair
              << "\n";
  }
  for (const auto& n : r.notes) std::cout << "note: " << n << "\n";
  if (r.empty_files + r.orphan_files + r.orphan_rows > 0) {
    std::cout << r.empty_files << " empty files, " << r.orphan_files << " orphan files (no catalog row), "
              << r.orphan_rows << " orphan catalog rows (no file)\n";
  }
}

// Adds what a second (tidy) pass found to the recovery report.
void MergeTidyPass(storage::StoreCheckReport& into, const storage::StoreCheckReport& more) {
  into.problems.insert(into.problems.end(), more.problems.begin(), more.problems.end());
  into.notes.insert(into.notes.end(), more.notes.begin(), more.notes.end());
  into.empty_files += more.empty_files;
  into.orphan_files += more.orphan_files;
  into.orphan_rows += more.orphan_rows;
  into.dropped_bytes += more.dropped_bytes;
  into.quarantined_bytes += more.quarantined_bytes;
  into.files_checked = more.files_checked;
  into.ticks = more.ticks;
}

}  // namespace

int RunVerify(const VerifyOptions& options, const Clock& clock) {
  auto root = StorageRoot(options.storage);
  if (!root.ok()) {
    std::cerr << "ib-recorder verify: " << root.status().message() << "\n";
    return 2;
  }
  FileSystem& fs = PosixFileSystem::Instance();
  if (!fs.Exists(*root)) {
    std::cerr << "ib-recorder verify: storage root " << *root << " does not exist\n";
    return 2;
  }
  if (options.repair) {
    auto so = StoreOptionsFromEnv(*root, "", "verify --repair");
    if (!so.ok()) {
      std::cerr << "ib-recorder verify: " << so.status().message() << "\n";
      return 2;
    }
    auto store = storage::Store::Open(*so, fs, clock);  // recovery = repair
    if (!store.ok()) {
      std::cerr << "ib-recorder verify --repair: " << store.status().message() << "\n";
      return 2;
    }
    storage::StoreCheckReport rec = (*store)->recovery();
    // Recovery leaves empty files alone (a writer's new hour); verify --repair removes them.
    storage::StoreCheckOptions tidy;
    tidy.root = *root;
    tidy.instance_name = (*store)->instance().instance_name;
    tidy.repair = true;
    tidy.report_empty = true;
    auto tidied = storage::CheckStore(tidy, fs, (*store)->catalog(), clock);
    if (!tidied.ok()) {
      std::cerr << "ib-recorder verify --repair: " << tidied.status().message() << "\n";
      return 2;
    }
    MergeTidyPass(rec, *tidied);
    Print(rec, true, options.json);
    // Seal nothing here; check again that what is left is consistent.
    storage::StoreCheckOptions again;
    again.root = *root;
    again.report_empty = true;
    auto after = storage::CheckStore(again, fs, (*store)->catalog(), clock);
    if (!after.ok()) {
      std::cerr << "ib-recorder verify --repair: " << after.status().message() << "\n";
      return 2;
    }
    if (!options.json) {
      std::cout << "repaired " << rec.problems.size() << " problems; dropped " << rec.dropped_bytes
                << " bytes never durable or acknowledged (torn tails); kept " << rec.quarantined_bytes
                << " damaged bytes under quarantine/; "
                << after->files_checked << " files, " << after->ticks
                << " ticks now consistent\n";
    }
    if (!after->problems.empty()) {
      std::cout << "still inconsistent after repair:\n";
      Print(*after, false, false);
      return 1;
    }
    return 0;
  }
  auto cat = catalog::Catalog::Open(storage::CatalogPath(*root), catalog::Catalog::Mode::kReadOnly, clock);
  if (!cat.ok()) {
    std::cerr << "ib-recorder verify: " << cat.status().message() << "\n";
    return 2;
  }
  storage::StoreCheckOptions check;
  check.root = *root;
  check.writer_active = storage::WriterActive(*root);
  check.report_empty = true;
  auto report = storage::CheckStore(check, fs, **cat, clock);
  if (!report.ok()) {
    std::cerr << "ib-recorder verify: " << report.status().message() << "\n";
    return 2;
  }
  Print(*report, false, options.json);
  if (!options.json) {
    std::cout << (report->problems.empty() ? "consistent: " : std::to_string(report->problems.size()) + " problems: ")
              << report->files_checked << " files, " << report->ticks << " ticks"
              << (check.writer_active ? " (a writer is running: open files may run ahead of the catalog)" : "")
              << "\n";
  }
  return report->problems.empty() ? 0 : 1;
}

}  // namespace ibr::cli
