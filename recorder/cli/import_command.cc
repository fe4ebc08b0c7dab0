// `ib-recorder import`: options, store, legacy import, report.
#include "cli/import_command.h"

#include <sys/stat.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "cli/store_settings.h"
#include "common/json_text.h"
#include "common/time_text.h"
#include "legacy/legacy_import.h"

namespace ibr::cli {
namespace {

constexpr int kExitAlreadyImported = 3;

// Keys in this order (the brief's report first), not sorted.
nlohmann::ordered_json ReportJson(const legacy::ImportReport& r) {
  nlohmann::ordered_json j = {{"read", r.read},
                      {"imported", r.imported},
                      {"skipped", r.skipped},
                      {"duplicates", r.duplicates},
                      {"already_stored", r.already_stored},
                      {"files", r.files},
                      {"ignored_files", r.ignored_files},
                      {"unreadable_files", r.unreadable_files},
                      {"tick_files", r.tick_files},
                      {"session_id", r.session_id},
                      {"sealed", r.sealed},
                      {"tree_hash", r.tree_hash}};
  if (r.imported > 0) {
    j["first_tick"] = FormatIsoTimestamp(r.first_tick);
    j["last_tick"] = FormatIsoTimestamp(r.last_tick);
  }
  j["notes"] = r.notes;
  if (!r.store_error.empty()) j["store_error"] = r.store_error;
  j["quarantine"] = r.quarantine_path.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.quarantine_path);
  return j;
}

void PrintHuman(const legacy::ImportReport& r) {
  std::int64_t skipped = 0;
  for (const auto& [reason, n] : r.skipped) skipped += n;
  std::cout << "read " << r.read << " records from";
  if (r.files.empty()) std::cout << " no files";
  bool first = true;
  for (const auto& [layout, n] : r.files) {
    std::cout << (first ? " " : ", ") << n << " " << layout << " file" << (n == 1 ? "" : "s");
    first = false;
  }
  std::cout << "\nimported " << r.imported << " ticks into " << r.tick_files << " tick files (session "
            << r.session_id;
  if (r.imported > 0) {
    std::cout << ", " << FormatIsoTimestamp(r.first_tick) << " .. " << FormatIsoTimestamp(r.last_tick);
  }
  std::cout << "); sealed " << r.sealed << " files\n";
  std::cout << "duplicates " << r.duplicates << " (" << r.already_stored << " already stored, "
            << r.duplicates - r.already_stored << " twins in the tree)\n";
  std::cout << "skipped " << skipped;
  first = true;
  for (const auto& [reason, n] : r.skipped) {
    std::cout << (first ? " (" : ", ") << reason << ": " << n;
    first = false;
  }
  std::cout << (first ? "" : ")") << "\n";
  if (!r.quarantine_path.empty()) std::cout << "skipped bad records are kept in " << r.quarantine_path << "\n";
  if (!r.ignored_files.empty()) {
    std::cout << "ignored " << r.ignored_files.size() << " files that are neither .jsonl nor .pb (first: "
              << r.ignored_files.front() << ")\n";
  }
}

}  // namespace

int RunImport(const ImportOptions& options, const Clock& clock) {
  if (options.from.empty()) {
    std::cerr << "ib-recorder import: --from DIR is required: the ib-stream storage directory to import\n";
    return kExitUsage;
  }
  struct stat st {};
  if (::stat(options.from.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    std::cerr << "ib-recorder import: --from " << options.from
              << " is not a directory; give the ib-stream storage root (the folder holding json/, protobuf/, "
                 "v2/ or v3/)\n";
    return kExitUsage;
  }
  auto so = StoreOptionsFromEnv(options.storage, options.instance_name, "import");
  if (!so.ok()) {
    std::cerr << "ib-recorder import: " << so.status().message() << "\n";
    return kExitUsage;
  }
  auto store = storage::Store::Open(*so, PosixFileSystem::Instance(), clock);
  if (!store.ok()) {
    std::cerr << "ib-recorder import: " << store.status().message() << "\n";
    return kExitFailed;
  }
  for (const auto& p : (*store)->recovery().problems) {
    std::cerr << "ib-recorder import: recovered " << p.file << ": " << p.what << " — " << p.repair << "\n";
  }
  legacy::ImportOptions io;
  std::error_code ec;
  const std::filesystem::path from = std::filesystem::absolute(options.from, ec);
  io.from = ec ? options.from : from.lexically_normal().string();  // the catalog names the tree absolutely
  while (io.from.size() > 1 && io.from.back() == '/') io.from.pop_back();
  io.force = options.force;
  auto report = legacy::ImportLegacyTree(**store, io);
  if (!report.ok()) {
    std::cerr << "ib-recorder import: " << report.status().message() << "\n";
    return report.status().code() == StatusCode::kAlreadyExists ? kExitAlreadyImported : kExitFailed;
  }
  const legacy::ImportReport& r = *report;
  if (options.json) {
    std::cout << SafeDump(ReportJson(r)) << "\n";
  } else {
    PrintHuman(r);
  }
  if (!options.json) {
    for (const auto& n : r.notes) std::cout << "note: " << n << "\n";
  }
  for (const auto& u : r.unreadable_files) std::cerr << "ib-recorder import: could not read " << u << "\n";
  for (const auto& e : r.seal_errors) std::cerr << "ib-recorder import: could not seal " << e << " (retried later)\n";
  if (!r.store_error.empty()) {
    std::cerr << "ib-recorder import: stopped storing: " << r.store_error
              << "; fix the cause and run the import again (ticks already stored are recognised)\n";
    return kExitFailed;
  }
  return r.unreadable_files.empty() ? kExitOk : kExitFailed;
}

}  // namespace ibr::cli
