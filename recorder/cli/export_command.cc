// `ib-recorder export`.
#include "cli/export_command.h"

#include <algorithm>
#include <charconv>
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "cli/exit_codes.h"
#include "cli/store_settings.h"
#include "common/json_text.h"
#include "query/tick_export.h"
#include "storage/backup.h"
#include "storage/layout.h"

namespace ibr::cli {
namespace {

Result<std::vector<std::uint32_t>> ParseContractIds(const std::string& list) {
  std::vector<std::uint32_t> ids;
  std::size_t from = 0;
  while (from <= list.size()) {
    const std::size_t comma = std::min(list.find(',', from), list.size());
    const std::string item = list.substr(from, comma - from);
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || p != item.data() + item.size() || v == 0 || v > 4294967295u) {
      return Status::InvalidArgument("--contracts: invalid contract id '" + item + "' in '" + list +
                                     "' (expected comma-separated ids 1..4294967295)");
    }
    if (std::find(ids.begin(), ids.end(), static_cast<std::uint32_t>(v)) == ids.end()) ids.push_back(static_cast<std::uint32_t>(v));
    from = comma + 1;
  }
  return ids;
}

Result<query::ExportRequest> ValidateExport(const ExportOptions& o, const Clock& clock) {
  query::ExportRequest req;
  auto root = StorageRoot(o.storage);
  if (!root.ok()) return root.status();
  req.storage_root = *root;
  if (o.to.empty()) return Status::InvalidArgument("--to DIR is required (a new or empty directory)");
  req.to = o.to;
  if (o.contracts.empty()) return Status::InvalidArgument("--contracts ID,... is required");
  auto ids = ParseContractIds(o.contracts);
  if (!ids.ok()) return ids.status();
  req.contracts = *ids;
  auto types = ParseTickTypeList(o.tick_types);
  if (!types) {
    return Status::InvalidArgument("--tick-types: invalid list '" + o.tick_types +
                                   "' (expected comma-separated bid_ask, last, all_last, mid_point)");
  }
  req.tick_types = *types;
  auto format = query::ParseOutputFormat(o.format);
  if (!format.ok() || (*format != query::OutputFormat::kCsv && *format != query::OutputFormat::kNdjson)) {
    return Status::InvalidArgument("--format: invalid format '" + o.format + "' (export writes csv or ndjson)");
  }
  req.format = *format;
  auto spec = BuildQueryRangeSpec(o.range);
  if (!spec.ok()) return spec.status();
  auto ranges = query::ResolveRange(*spec, clock);
  if (!ranges.ok()) return ranges.status();
  req.ranges = std::move(ranges).value();
  return req;
}

}  // namespace

int RunExport(const ExportOptions& options, const Clock& clock) {
  auto req = ValidateExport(options, clock);
  if (!req.ok()) {
    std::cerr << "ib-recorder export: " << req.status().message() << "\n";
    return kExitUsage;
  }
  FileSystem& fs = PosixFileSystem::Instance();
  if (!storage::IsMissingOrEmptyDir(fs, req->to)) {
    std::cerr << "ib-recorder export: --to " << req->to << " is not empty: give a new or empty directory\n";
    return kExitUsage;
  }
  const std::string catalog_path = storage::CatalogPath(req->storage_root);
  if (!fs.Exists(catalog_path)) {
    std::cerr << "ib-recorder export: no catalog at " << catalog_path << ": is --storage right?\n";
    return kExitUsage;
  }
  auto cat = catalog::Catalog::Open(catalog_path, catalog::Catalog::Mode::kReadOnly, clock);
  if (!cat.ok()) {
    std::cerr << "ib-recorder export: " << cat.status().message() << "\n";
    return kExitFailed;
  }
  auto r = query::ExportTicks(*req, fs, **cat);
  if (!r.ok()) {
    std::cerr << "ib-recorder export: " << r.status().message() << "\n";
    return kExitFailed;
  }
  for (const auto& n : r->notes) std::cerr << "ib-recorder export: note: " << n << "\n";
  if (options.json) {
    std::cout << query::ExportManifestJson(*req, *r) << "\n";
  } else {
    std::cout << "exported " << r->ticks << " ticks into " << r->files.size() << " files (" << r->bytes << " bytes) in "
              << req->to << "; manifest: " << req->to << "/manifest.json\n";
  }
  return kExitOk;
}

}  // namespace ibr::cli
