#include "sync_config.h"

#include <charconv>

#include "common/time_text.h"

namespace ibr::sync {

namespace {

std::optional<std::int64_t> ParsePositive(std::string_view s) {
  std::int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

// CLI > process environment > env file.
std::optional<std::string> Pick(const std::optional<std::string>& cli, const std::string& key,
                                const EnvLookup& env, const EnvMap& file) {
  if (cli) return cli;
  if (auto v = env(key)) return v;
  if (auto it = file.find(key); it != file.end()) return it->second;
  return std::nullopt;
}

}  // namespace

Result<TimeUs> ParseInterval(std::string_view text) {
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
    auto v = ParsePositive(text.substr(0, text.size() - 2));
    if (!v) return Status::InvalidArgument("interval '" + std::string(text) + "': expected e.g. 500ms, 1s, 2m");
    return *v * 1000;
  }
  auto d = ParseDuration(text);
  if (!d.ok() || *d <= 0) return Status::InvalidArgument("interval '" + std::string(text) + "': expected e.g. 500ms, 1s, 2m");
  return *d;
}

Result<SyncSettings> ResolveSettings(const CliSettings& cli, const EnvLookup& env, const EnvMap& file) {
  SyncSettings s;
  if (auto v = Pick(cli.storage, "IB_STREAM_STORAGE_PATH", env, file); v && !v->empty()) s.storage_root = *v;
  if (auto v = Pick(cli.dsn, "IB_SYNC_DSN", env, file)) s.dsn = *v;
  if (cli.interval) {
    auto i = ParseInterval(*cli.interval);
    if (!i.ok()) return i.status();
    s.interval = *i;
  } else if (auto v = Pick(std::nullopt, "IB_SYNC_INTERVAL_MS", env, file)) {
    auto ms = ParsePositive(*v);
    if (!ms) return Status::InvalidArgument("IB_SYNC_INTERVAL_MS='" + *v + "': expected milliseconds > 0");
    s.interval = *ms * 1000;
  }
  if (auto v = Pick(cli.batch_rows, "IB_SYNC_BATCH_ROWS", env, file)) {
    auto n = ParsePositive(*v);
    if (!n) return Status::InvalidArgument("batch rows '" + *v + "': expected a number > 0");
    s.batch_rows = static_cast<std::size_t>(*n);
  }
  return s;
}

std::vector<std::pair<std::string, std::string>> LibpqVariablesToExport(const EnvMap& file, const EnvLookup& env) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : file) {
    if (k.size() > 2 && k.rfind("PG", 0) == 0 && !env(k)) out.emplace_back(k, v);
  }
  return out;
}

bool CentralDatabaseConfigured(const SyncSettings& settings, const EnvLookup& env) {
  if (!settings.dsn.empty()) return true;
  for (const char* key : {"PGHOST", "PGHOSTADDR", "PGSERVICE", "PGDATABASE"}) {
    if (auto v = env(key); v && !v->empty()) return true;
  }
  return false;
}

}  // namespace ibr::sync
