// The registry's table: one entry per variable, in documentation order.
#include "config/settings_registry.h"

#include <algorithm>

namespace ibr::config {
namespace {

using K = SettingKind;

std::vector<Setting> MakeSettings() {
  std::vector<Setting> s;
  auto add = [&](Setting x) { s.push_back(x); };
  // --- where and who ---
  add({"IB_STREAM_ENVIRONMENT", K::kChoice, kBoth, "production", 0, 0, "production|development|staging", "",
       "Environment: picks the port block, the client id and the storage root defaults"});
  add({"IB_STREAM_STORAGE_PATH", K::kPath, kBoth, "/var/lib/ib-recorder/{environment}", 0, 0, "", "",
       "Storage root (tick files, catalog); one per environment, never shared", "--storage"});
  add({"IB_STREAM_INSTANCE_NAME", K::kInstance, kRecorder, "{environment}-{hostname}", 0, 0, "", "",
       "Name of the instance owning the storage root (fixed once the root exists)", "--instance-name"});
  add({"IB_STREAM_ENABLE_STORAGE", K::kBool, kRecorder, "true", 0, 0, "", "",
       "false: record nothing; passthrough when IB_STREAM_UPSTREAM_URL (or --upstream) is set, else read-only",
       "--read-only"});
  add({"IB_STREAM_MODE", K::kChoice, kRecorder, "", 0, 0, "recording|isolated|passthrough|read-only", "",
       "recording, isolated (own root and instance name), passthrough (relay the upstream, write nothing) or "
       "read-only; empty: from IB_STREAM_ENABLE_STORAGE"});
  // --- what to record ---
  add({"IB_STREAM_TRACKED_CONTRACTS", K::kContracts, kRecorder, "", 0, 0, "", "",
       "Contracts to record: id:symbol[:tick;types[:buffer_hours]],... (empty: none)", "", true});
  add({"IB_STREAM_MAX_TRACKED", K::kInteger, kRecorder, "10", 1, 1000, "", "",
       "Most contracts IB_STREAM_TRACKED_CONTRACTS may list"});
  add({"IB_STREAM_SOURCE", K::kChoice, kRecorder, "sse", 0, 0, "sse|sim|http", "",
       "Where ticks come from: sse (an ib-stream server), sim (built-in simulator), http (POST /v2/ingest only)",
       "--source"});
  add({"IB_STREAM_SIM_RATE", K::kNumber, kRecorder, "20", 0, 1'000'000, "",
       "ticks per second per contract, more than 0 and at most 1000000",
       "Simulator rate for IB_STREAM_SOURCE=sim: ticks per second per contract"});
  // --- ports and the upstream ---
  add({"PORT", K::kInteger, kRecorder, "{upstream_port}", 1, 65535, "", "",
       "Upstream ib-stream server's port (the environment's base + 1)"});
  add({"IB_STREAM_UPSTREAM_URL", K::kUrl, kRecorder, "http://127.0.0.1:{PORT}", 0, 0, "",
       "an http:// or https:// URL of the upstream ib-stream server, e.g. http://127.0.0.1:8001",
       "Upstream ib-stream server for IB_STREAM_SOURCE=sse", "--upstream"});
  add({"IB_STREAM_CLIENT_ID", K::kInteger, kRecorder, "{client_id}", 0, 2147483647, "", "",
       "TWS client id of this environment's main connection (unique per environment on a host)"});
  add({"IB_STREAM_RECONNECT_DELAY", K::kDuration, kRecorder, "2", 100, 3'600'000, "",
       "seconds (e.g. 2 or 0.5) or a duration (e.g. 5s, 1m) from 0.1 s to 1h",
       "First delay before reconnecting to the upstream (then exponential backoff with jitter)"});
  // --- the HTTP API ---
  add({"IB_STREAM_RECORDER_PORT", K::kInteger, kRecorder, "{recorder_port}", 1, 65535, "", "",
       "Recorder's HTTP port: status page, /health, the v2 API (the environment's base + 2)", "--port"});
  add({"IB_STREAM_RECORDER_BIND", K::kHost, kRecorder, "127.0.0.1", 0, 0, "",
       "an IP address or host name to listen on, e.g. 127.0.0.1",
       "Address the HTTP API listens on; anything that is not loopback needs IB_STREAM_API_KEY", "--bind"});
  add({"IB_STREAM_API_KEY", K::kApiKey, kRecorder, "", 0, 0, "", "",
       "Secret: X-API-Key every endpoint but /health then needs (at least 8 printable characters)"});
  add({"IB_STREAM_MAX_CONCURRENT_QUERIES", K::kInteger, kRecorder, "2", 1, 256, "", "",
       "Historical and buffer reads that run at once (others wait up to 10 s, then 503)"});
  // --- storage engine ---
  add({"IB_STREAM_FSYNC_INTERVAL_MS", K::kInteger, kRecorder, "1000", 1, 60'000, "", "",
       "How often written ticks are made durable (fsync), in milliseconds"});
  add({"IB_STREAM_MIN_FREE_MB", K::kInteger, kRecorder, "1024", 0, 1LL << 30, "", "",
       "Free disk space below which the recorder stops writing (MiB)"});
  add({"IB_STREAM_STALE_SECONDS", K::kInteger, kRecorder, "300", 1, 7 * 86400, "", "",
       "A tracked stream without a tick for this long is a /health warning (seconds)"});
  add({"IB_STREAM_MAX_FILE_SIZE_MB", K::kInteger, kRecorder, "200", 1, 1 << 20, "", "",
       "Size at which an hour file is split (MiB)"});
  add({"IB_STREAM_SEAL_GRACE_SECONDS", K::kInteger, kRecorder, "300", 0, 7 * 86400, "", "",
       "How long after an hour ends its file is sealed (late ticks still land in it; seconds)"});
  add({"IB_STREAM_LZ4_LEVEL", K::kInteger, kRecorder, "4", 0, 12, "", "",
       "LZ4 compression level of sealed files (0 fast ... 12 small)"});
  add({"IB_STREAM_WORKERS", K::kInteger, kRecorder, "0", 0, 256, "", "",
       "Worker threads that seal closed hours (LZ4) beside parsing in ingest; 0: one per CPU core"});
  // --- retention (storage/retention.h) ---
  add({"IB_STREAM_RETENTION_DAYS", K::kInteger, kRecorder, "0", 0, 36500, "", "",
       "Days sealed tick files are kept (by hour); older ones are deleted, or moved to IB_STREAM_ARCHIVE_PATH (0: keep forever)"});
  add({"IB_STREAM_RETENTION_DAYS_BID_ASK", K::kInteger, kRecorder, "", 0, 36500, "", "",
       "Retention days of bid_ask files (unset: IB_STREAM_RETENTION_DAYS; 0: keep forever)"});
  add({"IB_STREAM_RETENTION_DAYS_LAST", K::kInteger, kRecorder, "", 0, 36500, "", "",
       "Retention days of last files (unset: IB_STREAM_RETENTION_DAYS; 0: keep forever)"});
  add({"IB_STREAM_RETENTION_DAYS_ALL_LAST", K::kInteger, kRecorder, "", 0, 36500, "", "",
       "Retention days of all_last files (unset: IB_STREAM_RETENTION_DAYS; 0: keep forever)"});
  add({"IB_STREAM_RETENTION_DAYS_MID_POINT", K::kInteger, kRecorder, "", 0, 36500, "", "",
       "Retention days of mid_point files (unset: IB_STREAM_RETENTION_DAYS; 0: keep forever)"});
  add({"IB_STREAM_ARCHIVE_PATH", K::kPath, kRecorder, "", 0, 0, "", "",
       "Where retention moves expired files (same relative paths) instead of deleting them (empty: delete)"});
  // --- ib-sync ---
  add({"IB_SYNC_DSN", K::kDsn, kSync, "", 0, 0, "", "",
       "Secret: central PostgreSQL (libpq string or URI); empty: the PG* variables", "--dsn"});
  add({"IB_SYNC_INTERVAL_MS", K::kInteger, kSync, "1000", 1, 86'400'000, "", "",
       "How often ib-sync looks for catalog changes (milliseconds)", "--interval"});
  add({"IB_SYNC_BATCH_ROWS", K::kInteger, kSync, "5000", 1, 10'000'000, "", "",
       "Catalog changes per central transaction", "--batch-rows"});
  add({"IB_SYNC_PASSWORD", K::kSecret, kSync, "", 0, 0, "", "",
       "Secret: ib-sync init-schema gives the ib_sync role LOGIN with this password", "--sync-password"});
  add({"IB_REPORTER_PASSWORD", K::kSecret, kSync, "", 0, 0, "", "",
       "Secret: ib-sync init-schema gives the ib_reporter role LOGIN with this password", "--reporter-password"});
  return s;
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
}

}  // namespace

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = MakeSettings();
  return kSettings;
}

const Setting* FindSetting(std::string_view name) {
  for (const auto& s : Settings()) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

const Setting& SettingNamed(std::string_view name) {
  static const Setting kUnregistered{"UNREGISTERED_SETTING", SettingKind::kSecret, 0, ""};
  const Setting* s = FindSetting(name);
  return s ? *s : kUnregistered;  // a programming error, visible in any message (tests cover every name used)
}

bool LooksLikeOurs(std::string_view name) { return name.starts_with("IB_STREAM_") || name.starts_with("IB_SYNC_"); }

std::string NearestSetting(std::string_view name) {
  std::string best;
  std::size_t best_d = 4;
  for (const auto& s : Settings()) {
    std::size_t d = EditDistance(name, s.name);
    if (d < best_d) {
      best_d = d;
      best = s.name;
    }
  }
  return best;
}

std::string DefaultValue(const Setting& s, const Environment& env, int port, const std::string& hostname) {
  std::string v = s.default_text;
  ReplaceAll(v, "{environment}", env.name);
  ReplaceAll(v, "{hostname}", hostname);
  ReplaceAll(v, "{upstream_port}", std::to_string(env.upstream_port()));
  ReplaceAll(v, "{recorder_port}", std::to_string(env.recorder_port()));
  ReplaceAll(v, "{client_id}", std::to_string(env.client_id));
  ReplaceAll(v, "{PORT}", std::to_string(port));
  return v;
}

}  // namespace ibr::config
