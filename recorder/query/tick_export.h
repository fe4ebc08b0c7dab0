// TickExport: `ib-recorder export` — the ticks of some contracts over some
// time ranges, written as one file per contract x UTC day
// ({contract_id}_{YYYY-MM-DD}.csv|ndjson, the same encoders as `query`) plus
// manifest.json (per file: contract, day, tick count, bytes, SHA-256; totals),
// for handing data to research. A reader (no lock, safe beside a running
// recorder); borrows a read-only Catalog. One thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/file_system.h"
#include "common/status.h"
#include "common/tick.h"
#include "query/tick_encoder.h"
#include "query/time_range.h"

namespace ibr::query {

struct ExportRequest {
  std::string storage_root;
  std::string to;                      // a new or empty directory
  std::vector<std::uint32_t> contracts;
  std::vector<TickType> tick_types;    // merged per file, as `query` merges them
  std::vector<TimeRange> ranges;       // disjoint, oldest first
  OutputFormat format = OutputFormat::kCsv;  // kCsv or kNdjson
};

struct ExportedFile {
  std::string file;  // relative to `to`
  std::uint32_t contract_id = 0;
  std::string day;   // YYYY-MM-DD (UTC)
  std::uint64_t ticks = 0;
  std::uint64_t bytes = 0;
  std::string sha256;
};

struct ExportReport {
  std::vector<ExportedFile> files;  // days without a tick get no file
  std::uint64_t ticks = 0, bytes = 0;
  std::vector<std::string> notes;   // what the query engine skipped and why
};

// Writes the files, then manifest.json (last: its presence means the export
// is complete). InvalidArgument for a format other than csv/ndjson.
Result<ExportReport> ExportTicks(const ExportRequest& request, FileSystem& fs, catalog::Catalog& catalog);

// The manifest's JSON text (what manifest.json holds).
std::string ExportManifestJson(const ExportRequest& request, const ExportReport& report);

}  // namespace ibr::query
