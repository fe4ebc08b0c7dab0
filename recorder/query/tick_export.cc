// TickExport: contract x day files and their manifest.
#include "query/tick_export.h"

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "common/json_text.h"
#include "common/sha256.h"
#include "common/time_text.h"
#include "query/output_buffer.h"
#include "query/query_engine.h"

namespace ibr::query {
namespace {

// The ranges cut at UTC midnights, grouped by day (day start -> pieces).
std::map<TimeUs, std::vector<TimeRange>> SplitByDay(const std::vector<TimeRange>& ranges) {
  std::map<TimeUs, std::vector<TimeRange>> days;
  for (const TimeRange& r : ranges) {
    if (r.Empty()) continue;
    for (TimeUs day = r.start - ((r.start % kUsPerDay) + kUsPerDay) % kUsPerDay; day < r.end; day += kUsPerDay) {
      TimeRange piece{std::max(r.start, day), std::min(r.end, day + kUsPerDay)};
      if (!piece.Empty()) days[day].push_back(piece);
    }
  }
  return days;
}

// One contract x day file: encoded, hashed and synced as it streams.
Result<ExportedFile> ExportOneFile(const ExportRequest& req, std::uint32_t cid, TimeUs day,
                                   const std::vector<TimeRange>& pieces, FileSystem& fs, catalog::Catalog& cat,
                                   std::vector<std::string>& notes) {
  ExportedFile f;
  f.contract_id = cid;
  f.day = FormatIsoDate(day);
  f.file = std::to_string(cid) + "_" + f.day + "." + std::string(OutputFormatName(req.format));
  const std::string path = req.to + "/" + f.file;
  auto out = fs.OpenTruncate(path);
  if (!out.ok()) return out.status();
  Sha256 hash;
  OutputBuffer buffer([&](std::string_view chunk) {
    hash.Update(chunk);
    f.bytes += chunk.size();
    return (*out)->Append(chunk);
  });
  auto encoder = MakeTickEncoder(req.format, buffer, EncoderOptions{});
  QueryDescription d{cid, req.tick_types, pieces.front().start, pieces.back().end};
  IBR_RETURN_IF_ERROR(encoder->Begin(d));
  QueryEngine engine(fs, req.storage_root, cat);
  auto stats = engine.Run(TickQuery{cid, req.tick_types, pieces, std::nullopt}, *encoder);
  if (!stats.ok()) return stats.status().WithContext("exporting " + f.file);
  IBR_RETURN_IF_ERROR(encoder->Finish());
  IBR_RETURN_IF_ERROR(buffer.status());
  for (const auto& n : stats->notes) notes.push_back(f.file + ": " + n);
  f.ticks = stats->ticks;
  IBR_RETURN_IF_ERROR((*out)->Sync());
  IBR_RETURN_IF_ERROR((*out)->Close());
  if (f.ticks == 0) {
    IBR_RETURN_IF_ERROR(fs.Remove(path));
    f.file.clear();
    return f;
  }
  f.sha256 = hash.HexDigest();
  return f;
}

}  // namespace

Result<ExportReport> ExportTicks(const ExportRequest& req, FileSystem& fs, catalog::Catalog& cat) {
  if (req.format != OutputFormat::kCsv && req.format != OutputFormat::kNdjson) {
    return Status::InvalidArgument("--format: export writes csv or ndjson, not '" + std::string(OutputFormatName(req.format)) + "'");
  }
  IBR_RETURN_IF_ERROR(fs.CreateDirs(req.to));
  ExportReport report;
  const auto days = SplitByDay(req.ranges);
  for (std::uint32_t cid : req.contracts) {
    for (const auto& [day, pieces] : days) {
      auto f = ExportOneFile(req, cid, day, pieces, fs, cat, report.notes);
      if (!f.ok()) return f.status();
      if (f->file.empty()) continue;
      report.ticks += f->ticks;
      report.bytes += f->bytes;
      report.files.push_back(std::move(f.value()));
    }
  }
  IBR_RETURN_IF_ERROR(fs.WriteFileAtomic(req.to + "/manifest.json", ExportManifestJson(req, report) + "\n"));
  IBR_RETURN_IF_ERROR(fs.SyncDir(req.to));
  return report;
}

std::string ExportManifestJson(const ExportRequest& req, const ExportReport& report) {
  nlohmann::json j;
  j["format"] = std::string(OutputFormatName(req.format));
  j["contracts"] = req.contracts;
  nlohmann::json types = nlohmann::json::array();
  for (TickType t : req.tick_types) types.push_back(std::string(TickTypeName(t)));
  j["tick_types"] = types;
  nlohmann::json ranges = nlohmann::json::array();
  for (const auto& r : req.ranges) ranges.push_back({{"start", FormatIsoTimestamp(r.start)}, {"end", FormatIsoTimestamp(r.end)}});
  j["ranges"] = ranges;
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : report.files) {
    files.push_back({{"file", f.file},
                     {"contract_id", f.contract_id},
                     {"day", f.day},
                     {"ticks", f.ticks},
                     {"bytes", f.bytes},
                     {"sha256", f.sha256}});
  }
  j["files"] = files;
  j["totals"] = {{"files", report.files.size()}, {"ticks", report.ticks}, {"bytes", report.bytes}};
  return SafeDump(j, 2);
}

}  // namespace ibr::query
