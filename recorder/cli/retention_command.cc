// `ib-recorder retention`.
#include "cli/retention_command.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "cli/exit_codes.h"
#include "cli/store_settings.h"
#include "common/json_text.h"
#include "storage/layout.h"
#include "storage/retention.h"
#include "storage/store.h"

namespace ibr::cli {
namespace {

void PrintRetention(const storage::RetentionReport& r, bool json) {
  const auto total = r.Total();
  if (json) {
    nlohmann::json j;
    j["dry_run"] = r.dry_run;
    j["action"] = r.archived ? "archive" : "delete";
    nlohmann::json types = nlohmann::json::object();
    for (const auto& [tt, t] : r.by_type) types[std::string(TickTypeName(tt))] = {{"files", t.files}, {"bytes", t.bytes}};
    j["by_tick_type"] = types;
    j["files"] = total.files;
    j["bytes"] = total.bytes;
    j["errors"] = r.errors;
    std::cout << SafeDump(j) << "\n";
    return;
  }
  const char* verb = r.dry_run ? (r.archived ? "would archive" : "would delete") : (r.archived ? "archived" : "deleted");
  for (const auto& [tt, t] : r.by_type) {
    std::cout << TickTypeName(tt) << ": " << verb << " " << t.files << " files, " << t.bytes << " bytes\n";
  }
  for (const auto& e : r.errors) std::cout << "error: " << e << "\n";
  std::cout << verb << " " << total.files << " files (" << total.bytes << " bytes) in all\n";
}

}  // namespace

int RunRetention(const RetentionOptions& options, const Clock& clock) {
  auto policy = RetentionPolicyFromEnv();
  if (!policy.ok()) {
    std::cerr << "ib-recorder retention: " << policy.status().message() << "\n";
    return kExitUsage;
  }
  if (!policy->Any()) {
    std::cerr << "ib-recorder retention: note: no retention is configured (IB_STREAM_RETENTION_DAYS and its per tick "
                 "type variants are 0 or unset): every file is kept\n";
  }
  FileSystem& fs = PosixFileSystem::Instance();
  Result<storage::RetentionReport> r = Status::Internal("retention did not run");
  std::unique_ptr<storage::Store> store;
  if (options.dry_run) {
    auto root = StorageRoot(options.storage);
    if (!root.ok()) {
      std::cerr << "ib-recorder retention: " << root.status().message() << "\n";
      return kExitUsage;
    }
    auto cat = catalog::Catalog::Open(storage::CatalogPath(*root), catalog::Catalog::Mode::kReadOnly, clock);
    if (!cat.ok()) {
      std::cerr << "ib-recorder retention: " << cat.status().message() << "\n";
      return cat.status().code() == StatusCode::kNotFound ? kExitUsage : kExitFailed;
    }
    r = storage::ApplyRetention(*policy, *root, fs, **cat, clock, true);
  } else {
    auto so = StoreOptionsFromEnv(options.storage, "", "retention");
    if (!so.ok()) {
      std::cerr << "ib-recorder retention: " << so.status().message() << "\n";
      return kExitUsage;
    }
    if (!fs.Exists(storage::CatalogPath(so->root))) {
      std::cerr << "ib-recorder retention: no catalog at " << storage::CatalogPath(so->root) << ": is --storage right?\n";
      return kExitUsage;
    }
    auto opened = storage::Store::Open(*so, fs, clock);  // the lock: beside a running recorder, it applies retention itself
    if (!opened.ok()) {
      std::cerr << "ib-recorder retention: " << opened.status().message() << "\n";
      return kExitFailed;
    }
    store = std::move(opened).value();
    r = storage::ApplyRetention(*policy, so->root, fs, store->catalog(), clock, false);
  }
  if (!r.ok()) {
    std::cerr << "ib-recorder retention: " << r.status().message() << "\n";
    return kExitFailed;
  }
  PrintRetention(*r, options.json);
  return r->errors.empty() ? kExitOk : kExitFailed;
}

}  // namespace ibr::cli
