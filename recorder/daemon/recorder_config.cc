// RecorderConfig: layered lookup (flags > process env > env file > defaults),
// validation with messages that name the variable, and the session snapshot.
#include "daemon/recorder_config.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/env_file.h"
#include "common/json_text.h"
#include "common/time_text.h"
#include "config/config_text.h"
#include "config/environments.h"
#include "config/setting_check.h"
#include "config/settings_registry.h"
#include "storage/store.h"

extern char** environ;

namespace ibr::daemon {
namespace {

using config::SettingNamed;

// Where each setting comes from: flags (checked by the caller), then the
// process environment, then the env file. Kinds, ranges and defaults come
// from the settings registry (config/settings_registry.h).
class Layers {
 public:
  Layers(const std::map<std::string, std::string>& process, const EnvMap& file) : process_(process), file_(file) {}

  // The value of `name`, or nullopt when no layer sets it. An empty value
  // counts as not set, except where the registry says empty is a value
  // (tracked contracts: an empty list is how seed 003 turns recording off).
  std::optional<std::string> Get(const std::string& name) const {
    const bool empty_is_value = SettingNamed(name).empty_is_value;
    for (const auto* layer : {&process_, &file_}) {
      auto it = layer->find(name);
      if (it != layer->end() && (empty_is_value || !it->second.empty())) return it->second;
    }
    return std::nullopt;
  }

  // The value, checked against the registry; nullopt when unset.
  Result<std::optional<std::string>> Checked(const std::string& name) const {
    auto v = Get(name);
    if (v) IBR_RETURN_IF_ERROR(config::CheckSetting(SettingNamed(name), *v));
    return v;
  }

  Result<long long> Int(const std::string& name, long long def) const {
    auto v = Get(name);
    if (!v) return def;
    return config::IntegerValue(SettingNamed(name), *v);
  }
  Result<long long> Int(const std::string& name) const {
    return Int(name, std::stoll(SettingNamed(name).default_text));
  }

 private:
  const std::map<std::string, std::string>& process_;
  const EnvMap& file_;
};

// Retention: IB_STREAM_RETENTION_DAYS for every tick type unless its own
// IB_STREAM_RETENTION_DAYS_<TICK TYPE> is set; IB_STREAM_ARCHIVE_PATH: move, not delete.
Status ResolveRetention(const Layers& env, storage::RetentionPolicy& policy) {
  auto all = env.Int("IB_STREAM_RETENTION_DAYS");
  if (!all.ok()) return all.status();
  for (TickType tt : {TickType::kBidAsk, TickType::kLast, TickType::kAllLast, TickType::kMidPoint}) {
    std::string name = "IB_STREAM_RETENTION_DAYS_";
    for (char ch : std::string(TickTypeName(tt))) name += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    auto days = env.Int(name, *all);
    if (!days.ok()) return days.status();
    policy.days[tt] = static_cast<int>(*days);
  }
  auto archive = env.Checked("IB_STREAM_ARCHIVE_PATH");
  if (!archive.ok()) return archive.status();
  policy.archive_root = archive->value_or("");
  return Status::Ok();
}

// The mode: --read-only, else IB_STREAM_MODE, else IB_STREAM_ENABLE_STORAGE (false: passthrough when an
// upstream is set and the source is sse, else read-only). Contradictions are errors naming both.
Result<RecorderMode> ResolveMode(const std::optional<std::string>& enable_text, const std::optional<std::string>& mode_text,
                                 bool read_only_flag, bool upstream_set, const std::string& source) {
  std::optional<bool> enable;
  if (enable_text) {
    auto b = config::BoolValue(SettingNamed("IB_STREAM_ENABLE_STORAGE"), *enable_text);
    if (!b.ok()) return b.status();
    enable = *b;
  }
  if (read_only_flag) return RecorderMode::kReadOnly;
  if (mode_text) {
    const std::string text(config::TrimBlanks(*mode_text));
    IBR_RETURN_IF_ERROR(config::CheckSetting(SettingNamed("IB_STREAM_MODE"), text));
    const RecorderMode m = *ParseMode(text);
    if (enable && *enable != ModeWrites(m)) {
      return Status::InvalidArgument("IB_STREAM_MODE='" + text + "' contradicts IB_STREAM_ENABLE_STORAGE='" + *enable_text +
                                     "': " + text + (ModeWrites(m) ? " writes storage" : " writes nothing") +
                                     "; remove IB_STREAM_ENABLE_STORAGE or set it to " +
                                     (ModeWrites(m) ? "true" : "false"));
    }
    if (m == RecorderMode::kPassthrough && source != "sse") {
      return Status::InvalidArgument("IB_STREAM_MODE='passthrough' relays an ib-stream server's SSE, but IB_STREAM_SOURCE='" +
                                     source + "': expected IB_STREAM_SOURCE=sse (the default) and IB_STREAM_UPSTREAM_URL");
    }
    return m;
  }
  if (enable && !*enable) return upstream_set && source == "sse" ? RecorderMode::kPassthrough : RecorderMode::kReadOnly;
  return RecorderMode::kRecording;
}

// Isolated: a root that is not the environment's own, and an instance name of its own
// (default {environment}-{root's folder name}-{hostname}).
Status CheckIsolated(RecorderConfig& c, const config::Environment& block, bool instance_set) {
  if (c.storage_path == block.storage_root()) {
    return Status::InvalidArgument("IB_STREAM_MODE='isolated' needs its own storage root, but IB_STREAM_STORAGE_PATH='" +
                                   c.storage_path + "' is the " + c.environment +
                                   " environment's: set IB_STREAM_STORAGE_PATH (or --storage) to another directory, "
                                   "e.g. /var/lib/ib-recorder/feature-xyz");
  }
  if (instance_set) {
    if (c.instance_name == storage::DefaultInstanceName(c.environment)) {
      return Status::InvalidArgument("IB_STREAM_MODE='isolated' needs an instance name of its own, but IB_STREAM_INSTANCE_NAME='" +
                                     c.instance_name + "' is the " + c.environment +
                                     " environment's default: choose another or leave it unset");
    }
    return Status::Ok();
  }
  std::string folder;
  for (char ch : std::filesystem::path(c.storage_path).filename().string()) {
    const bool ok = std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
    folder.push_back(ok ? ch : '_');
  }
  if (folder.empty()) folder = "isolated";
  std::string name = c.environment + "-" + folder + "-" + storage::HostName();
  if (name.size() > 100) name.resize(100);
  c.instance_name = name;
  return Status::Ok();
}

}  // namespace

const std::vector<std::string>& RecorderVariableNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> out;
    for (const auto& s : config::Settings()) {
      if (s.reads(config::kRecorder)) out.push_back(s.name);
    }
    return out;
  }();
  return kNames;
}

bool IsLoopbackAddress(std::string_view bind, const config::HostResolver& resolver) {
  auto addrs = resolver.Resolve(std::string(bind));
  if (!addrs.ok() || addrs->empty()) return false;
  for (const auto& a : *addrs) {
    if (!config::IsLoopbackIp(a)) return false;
  }
  return true;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv = *e;
    std::size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return out;
}

Result<std::map<std::string, std::string>> ReadEnvFile(const std::string& path) {
  return ibr::ReadEnvFile(PosixFileSystem::Instance(), path);
}

Result<RecorderConfig> ResolveRecorderConfig(const RecorderFlags& flags, const std::map<std::string, std::string>& environ_map,
                                             const config::HostResolver& resolver) {
  EnvMap file;
  RecorderConfig c;
  if (!flags.env_file.empty()) {
    IBR_RETURN_IF_ERROR(
        config::CheckPlainText("--env-file", flags.env_file, "a file path in UTF-8 without control characters"));
    auto f = ReadEnvFile(flags.env_file);
    if (!f.ok()) return Status::InvalidArgument(f.status().message());
    file = std::move(f.value());
    c.env_file = flags.env_file;
    for (const auto& [k, v] : file) {
      // ib-sync's settings (one file serves both programs) are known; any other IB_STREAM_*/IB_SYNC_* is a likely typo.
      if (config::LooksLikeOurs(k) && !config::FindSetting(k)) {
        std::string near = config::NearestSetting(k);
        c.warnings.push_back("env file " + config::Printable(flags.env_file) + " sets " + config::Printable(k) +
                             ", which ib-recorder does not read (a typo?" +
                             (near.empty() ? ")" : " did you mean " + near + "?)"));
      }
    }
  }
  Layers env(environ_map, file);

  // Environment first: it picks the port block and the defaults below.
  auto environment = env.Checked("IB_STREAM_ENVIRONMENT");
  if (!environment.ok()) return environment.status();
  if (*environment) c.environment = std::string(config::TrimBlanks(**environment));
  const config::Environment* block = config::FindEnvironment(c.environment);
  if (!block) return config::InvalidValue("IB_STREAM_ENVIRONMENT", c.environment, config::EnvironmentChoices());

  auto port = env.Int("PORT", block->upstream_port());
  if (!port.ok()) return port.status();
  c.upstream_port = static_cast<int>(*port);
  auto rport = env.Int("IB_STREAM_RECORDER_PORT", block->recorder_port());
  if (!rport.ok()) return rport.status();
  c.recorder_port = static_cast<int>(*rport);
  if (flags.port) {
    auto fp = config::IntegerValue(SettingNamed("IB_STREAM_RECORDER_PORT"), std::to_string(*flags.port), "--port");
    if (!fp.ok()) return fp.status();
    c.recorder_port = *flags.port;
  }
  auto client = env.Int("IB_STREAM_CLIENT_ID", block->client_id);
  if (!client.ok()) return client.status();
  c.client_id = static_cast<int>(*client);

  c.storage_path = block->storage_root();
  auto storage = env.Checked("IB_STREAM_STORAGE_PATH");
  if (!storage.ok()) return storage.status();
  if (*storage) c.storage_path = **storage;
  if (!flags.storage.empty()) {
    IBR_RETURN_IF_ERROR(config::CheckSetting(SettingNamed("IB_STREAM_STORAGE_PATH"), flags.storage, "--storage"));
    c.storage_path = flags.storage;
  }
  {
    std::error_code ec;
    auto abs = std::filesystem::absolute(c.storage_path, ec);
    if (!ec) c.storage_path = abs.lexically_normal().string();
    while (c.storage_path.size() > 1 && c.storage_path.back() == '/') c.storage_path.pop_back();
  }

  c.instance_name = storage::DefaultInstanceName(c.environment);
  auto instance = env.Checked("IB_STREAM_INSTANCE_NAME");
  if (!instance.ok()) return instance.status();
  if (*instance) c.instance_name = std::string(config::TrimBlanks(**instance));
  const bool instance_set = instance->has_value();

  auto max_tracked = env.Int("IB_STREAM_MAX_TRACKED");
  if (!max_tracked.ok()) return max_tracked.status();
  c.max_tracked = static_cast<int>(*max_tracked);
  if (auto v = env.Get("IB_STREAM_TRACKED_CONTRACTS")) {
    auto tracked = config::ParseTrackedContracts(*v);
    if (!tracked.ok()) return tracked.status();
    c.tracked = std::move(tracked.value());
  }
  if (static_cast<int>(c.tracked.size()) > c.max_tracked) {
    return Status::InvalidArgument("IB_STREAM_TRACKED_CONTRACTS lists " + std::to_string(c.tracked.size()) +
                                   " contracts, more than IB_STREAM_MAX_TRACKED=" + std::to_string(c.max_tracked) +
                                   ": track fewer or raise IB_STREAM_MAX_TRACKED");
  }

  auto source = env.Checked("IB_STREAM_SOURCE");
  if (!source.ok()) return source.status();
  if (*source) c.source = std::string(config::TrimBlanks(**source));
  if (!flags.source.empty()) {
    IBR_RETURN_IF_ERROR(config::CheckSetting(SettingNamed("IB_STREAM_SOURCE"), flags.source, "--source"));
    c.source = flags.source;
  }

  c.upstream_url = "http://127.0.0.1:" + std::to_string(c.upstream_port);
  auto url = env.Checked("IB_STREAM_UPSTREAM_URL");
  if (!url.ok()) return url.status();
  if (*url) c.upstream_url = std::string(config::TrimBlanks(**url));
  const bool upstream_set = *url || !flags.upstream.empty();
  if (!flags.upstream.empty()) {
    IBR_RETURN_IF_ERROR(config::CheckSetting(SettingNamed("IB_STREAM_UPSTREAM_URL"), flags.upstream, "--upstream"));
    c.upstream_url = std::string(config::TrimBlanks(flags.upstream));
  }
  while (c.upstream_url.back() == '/') c.upstream_url.pop_back();

  auto bind = env.Checked("IB_STREAM_RECORDER_BIND");
  if (!bind.ok()) return bind.status();
  if (*bind) c.bind = std::string(config::TrimBlanks(**bind));
  std::string bind_name = "IB_STREAM_RECORDER_BIND";
  if (!flags.bind.empty()) {
    IBR_RETURN_IF_ERROR(config::CheckSetting(SettingNamed("IB_STREAM_RECORDER_BIND"), flags.bind, "--bind"));
    c.bind = flags.bind;
    bind_name = "--bind";
  }
  auto key = env.Checked("IB_STREAM_API_KEY");
  if (!key.ok()) return key.status();
  if (*key) c.api_key = **key;
  // Resolved, not read as text: "127.evil.test" may name any address.
  IBR_RETURN_IF_ERROR(config::CheckBindAddress(bind_name, c.bind, !c.api_key.empty(), resolver));

  if (auto v = env.Get("IB_STREAM_RECONNECT_DELAY")) {
    auto d = config::DurationValue(SettingNamed("IB_STREAM_RECONNECT_DELAY"), *v);
    if (!d.ok()) return d.status();
    c.reconnect_delay = *d;
  }
  auto fsync_ms = env.Int("IB_STREAM_FSYNC_INTERVAL_MS");
  if (!fsync_ms.ok()) return fsync_ms.status();
  c.fsync_interval = *fsync_ms * 1000;
  auto min_free = env.Int("IB_STREAM_MIN_FREE_MB");
  if (!min_free.ok()) return min_free.status();
  c.min_free_bytes = static_cast<std::uint64_t>(*min_free) << 20;
  auto stale = env.Int("IB_STREAM_STALE_SECONDS");
  if (!stale.ok()) return stale.status();
  c.stale_after = *stale * kUsPerSecond;
  auto max_mb = env.Int("IB_STREAM_MAX_FILE_SIZE_MB");
  if (!max_mb.ok()) return max_mb.status();
  c.max_file_bytes = static_cast<std::uint64_t>(*max_mb) << 20;
  auto grace = env.Int("IB_STREAM_SEAL_GRACE_SECONDS");
  if (!grace.ok()) return grace.status();
  c.seal_grace = *grace * kUsPerSecond;
  auto level = env.Int("IB_STREAM_LZ4_LEVEL");
  if (!level.ok()) return level.status();
  c.lz4_level = static_cast<int>(*level);
  auto queries = env.Int("IB_STREAM_MAX_CONCURRENT_QUERIES");
  if (!queries.ok()) return queries.status();
  c.max_concurrent_queries = static_cast<int>(*queries);
  if (auto v = env.Get("IB_STREAM_SIM_RATE")) {
    auto r = config::NumberValue(SettingNamed("IB_STREAM_SIM_RATE"), *v);
    if (!r.ok()) return r.status();
    c.sim_rate = *r;
  }
  IBR_RETURN_IF_ERROR(ResolveRetention(env, c.retention));
  auto mode = ResolveMode(env.Get("IB_STREAM_ENABLE_STORAGE"), env.Get("IB_STREAM_MODE"), flags.read_only,
                          upstream_set, c.source);
  if (!mode.ok()) return mode.status();
  c.mode = *mode;
  c.read_only = !ModeWrites(c.mode);
  if (c.mode == RecorderMode::kIsolated) IBR_RETURN_IF_ERROR(CheckIsolated(c, *block, instance_set));
  return c;
}

std::string RecorderConfig::SnapshotJson() const {
  nlohmann::json tracked_json = nlohmann::json::array();
  for (const auto& t : tracked) {
    nlohmann::json types = nlohmann::json::array();
    for (TickType tt : t.tick_types) types.push_back(std::string(TickTypeName(tt)));
    tracked_json.push_back(
        {{"contract_id", t.contract_id}, {"symbol", t.symbol}, {"tick_types", types}, {"buffer_hours", t.buffer_hours}});
  }
  nlohmann::json retention_days = nlohmann::json::object();
  for (const auto& [tt, d] : retention.days) retention_days[std::string(TickTypeName(tt))] = d;
  nlohmann::json j = {
      {"environment", environment},
      {"storage_path", storage_path},
      {"instance_name", instance_name},
      {"tracked_contracts", tracked_json},
      {"max_tracked", max_tracked},
      {"source", source},
      {"upstream_port", upstream_port},
      {"upstream_url", upstream_url},
      {"recorder_port", recorder_port},
      {"bind", bind},
      {"api_key_set", !api_key.empty()},  // whether one is set; never the key
      {"client_id", client_id},
      {"reconnect_delay_ms", reconnect_delay / 1000},
      {"fsync_interval_ms", fsync_interval / 1000},
      {"min_free_mb", min_free_bytes >> 20},
      {"stale_seconds", stale_after / kUsPerSecond},
      {"max_file_size_mb", max_file_bytes >> 20},
      {"seal_grace_seconds", seal_grace / kUsPerSecond},
      {"lz4_level", lz4_level},
      {"max_concurrent_queries", max_concurrent_queries},
      {"sim_rate", sim_rate},
      {"retention_days", retention_days},
      {"archive_path", retention.archive_root},
      {"mode", std::string(ModeName(mode))},
      {"read_only", read_only},
      {"env_file", env_file},
      {"version", IBR_VERSION},
  };
  return SafeDump(j);
}

}  // namespace ibr::daemon
