#include "sync_config.h"

#include <charconv>

#include "common/time_text.h"
#include "config/environments.h"
#include "config/setting_check.h"
#include "config/settings_registry.h"

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
  // Defaults, kinds and ranges: the settings registry (config/settings_registry.h), as for ib-recorder.
  const config::Environment* environment = &config::Environments().front();
  if (auto v = Pick(std::nullopt, "IB_STREAM_ENVIRONMENT", env, file); v && !v->empty()) {
    IBR_RETURN_IF_ERROR(config::CheckSetting(config::SettingNamed("IB_STREAM_ENVIRONMENT"), *v));
    environment = config::FindEnvironment(*v);
  }
  s.storage_root = environment->storage_root();
  if (auto v = Pick(cli.storage, "IB_STREAM_STORAGE_PATH", env, file); v && !v->empty()) {
    IBR_RETURN_IF_ERROR(config::CheckSetting(config::SettingNamed("IB_STREAM_STORAGE_PATH"), *v,
                                             cli.storage ? "--storage" : ""));
    s.storage_root = *v;
  }
  if (auto v = Pick(cli.dsn, "IB_SYNC_DSN", env, file)) {
    IBR_RETURN_IF_ERROR(config::CheckSetting(config::SettingNamed("IB_SYNC_DSN"), *v, cli.dsn ? "--dsn" : ""));
    s.dsn = *v;
  }
  if (cli.interval) {
    auto i = ParseInterval(*cli.interval);
    if (!i.ok()) return i.status();
    s.interval = *i;
  } else if (auto v = Pick(std::nullopt, "IB_SYNC_INTERVAL_MS", env, file); v && !v->empty()) {
    auto ms = config::IntegerValue(config::SettingNamed("IB_SYNC_INTERVAL_MS"), *v);
    if (!ms.ok()) return ms.status();
    s.interval = *ms * 1000;
  }
  if (auto v = Pick(cli.batch_rows, "IB_SYNC_BATCH_ROWS", env, file); v && !v->empty()) {
    auto n = config::IntegerValue(config::SettingNamed("IB_SYNC_BATCH_ROWS"), *v, cli.batch_rows ? "--batch-rows" : "");
    if (!n.ok()) return n.status();
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
