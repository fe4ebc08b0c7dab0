// StorageStatus: catalog totals + writer counters.
#include "http/storage_status.h"

#include <map>
#include <tuple>

#include "common/time_text.h"
#include "http/tick_reader.h"

namespace ibr::http {
namespace {

struct Totals {
  std::int64_t files = 0, messages = 0, bytes = 0;
  std::optional<TimeUs> first, last;
};

// Per contract x tick type, summed over the days in daily_tick_stats.
Json StoredContracts(catalog::Catalog* cat, Json& errors) {
  Json out = Json::array();
  if (cat == nullptr) return out;
  auto days = cat->ListDailyStats();
  if (!days.ok()) {
    errors.push_back(days.status().message());
    return out;
  }
  std::map<std::tuple<std::uint32_t, TickType>, Totals> totals;
  for (const auto& d : *days) {
    Totals& t = totals[{d.contract_id, d.tick_type}];
    t.files += d.total_files;
    t.messages += d.total_messages;
    t.bytes += d.total_size_bytes;
    if (d.first_tick && (!t.first || *d.first_tick < *t.first)) t.first = d.first_tick;
    if (d.last_tick && (!t.last || *d.last_tick > *t.last)) t.last = d.last_tick;
  }
  for (const auto& [key, t] : totals) {
    out.push_back(Json{{"contract_id", std::get<0>(key)},
                       {"tick_type", std::string(TickTypeName(std::get<1>(key)))},
                       {"files", t.files},
                       {"messages", t.messages},
                       {"bytes", t.bytes},
                       {"first_tick", t.first ? Json(FormatIsoTimestamp(*t.first)) : Json(nullptr)},
                       {"last_tick", t.last ? Json(FormatIsoTimestamp(*t.last)) : Json(nullptr)}});
  }
  return out;
}

}  // namespace

Json BuildStorageStatus(const daemon::RecorderStatus& s, const daemon::RecorderConfig& config, catalog::Catalog* cat,
                        TimeUs now) {
  Json errors = Json::array();
  if (!s.last_error.empty()) errors.push_back(s.last_error);
  Json contracts = StoredContracts(cat, errors);
  const bool healthy = (s.storage_writable || s.read_only) && s.catalog_ok && !s.disk_full;
  Json files{{"total", s.files_total}, {"open", s.open_files}, {"sealed", s.sealed_files}, {"today", s.files_today}};
  Json overall{{"ticks_stored", s.ticks_stored},
               {"ticks_dropped", s.ticks_dropped},
               {"dropped_by_reason", s.dropped_by_reason},
               {"rejects", s.rejects},
               {"rejects_by_reason", s.rejects_by_reason},
               {"lifecycle_events", s.lifecycle_events},
               {"heartbeats", s.heartbeats},
               {"bytes_written", s.bytes_written},
               {"open_files", s.open_files},
               {"last_seal_seconds", s.last_seal_seconds ? Json(*s.last_seal_seconds) : Json(nullptr)},
               {"seals_this_session", s.seals},
               {"queue_depth", s.queue_depth},
               {"queue_capacity", s.queue_capacity},
               {"disk_free_bytes", s.disk_free_bytes}};
  return Json{
      {"enabled", true},
      {"timestamp", FormatIsoTimestamp(now)},
      {"info", Json{{"storage_path", s.storage_path},
                    {"format", "protobuf"},
                    {"layout", "protobuf/{contract_id}/{tick_type}/YYYY/MM/DD/HH_ticks[.partN].pb[.lz4]"},
                    {"compression", "lz4 (sealed hours)"},
                    {"files", files},
                    {"bytes_total", s.bytes_total},
                    {"bytes_today", s.bytes_today},
                    {"contracts", contracts}}},
      {"metrics", Json{{"timestamp", FormatIsoTimestamp(now)},
                       {"uptime_seconds", s.uptime_seconds},
                       {"overall", overall},
                       {"backends", Json{{"protobuf", Json{{"enabled", true},
                                                           {"files", s.files_total},
                                                           {"bytes", s.bytes_total},
                                                           {"open_files", s.open_files}}}}},
                       {"recent_errors", errors},
                       {"health", Json{{"status", healthy ? "healthy" : "unhealthy"},
                                       {"storage_writable", s.storage_writable},
                                       {"catalog_ok", s.catalog_ok},
                                       {"disk_full", s.disk_full}}}}},
      {"config", Json{{"storage_path", config.storage_path},
                      {"max_file_bytes", config.max_file_bytes},
                      {"seal_grace_seconds", config.seal_grace / kUsPerSecond},
                      {"lz4_level", config.lz4_level},
                      {"fsync_interval_ms", config.fsync_interval / 1000},
                      {"min_free_bytes", config.min_free_bytes},
                      {"read_only", config.read_only}}}};
}

void HandleStorageStatus(const ApiContext& ctx, const httplib::Request&, httplib::Response& res) {
  auto cat = OpenReadCatalog(ctx.root(), ctx.clock);
  std::shared_ptr<catalog::Catalog> catalog = cat.ok() ? *cat : nullptr;
  Json body = BuildStorageStatus(ctx.service.Status(), ctx.config(), catalog.get(), ctx.clock.Now());
  if (!cat.ok()) body["metrics"]["recent_errors"].push_back(cat.status().message());
  ReplyJson(res, 200, body);
}

}  // namespace ibr::http
