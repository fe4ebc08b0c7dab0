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
#include "storage/store.h"

extern char** environ;

namespace ibr::daemon {
namespace {

struct PortBlock {
  const char* environment;
  int base;
  int client_id;
};
constexpr PortBlock kPortBlocks[] = {
    {"production", 8000, 2},
    {"development", 8100, 12},
    {"staging", 8200, 22},
};

Status Invalid(const std::string& name, const std::string& value, const std::string& expected) {
  return Status::InvalidArgument(name + "='" + value + "' is not valid: expected " + expected);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<long long> ParseWhole(std::string_view v) {
  long long out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size()) return std::nullopt;
  return out;
}

// Where each setting comes from: flags (checked by the caller), then the
// process environment, then the env file.
class Layers {
 public:
  Layers(const std::map<std::string, std::string>& process, const EnvMap& file) : process_(process), file_(file) {}

  // The value of `name`, or nullopt when no layer sets it. An empty value
  // counts as not set, except where `empty_is_value` (tracked contracts: an
  // empty list is how seed 003 turns recording off).
  std::optional<std::string> Get(const std::string& name, bool empty_is_value = false) const {
    for (const auto* layer : {&process_, &file_}) {
      auto it = layer->find(name);
      if (it != layer->end() && (empty_is_value || !it->second.empty())) return it->second;
    }
    return std::nullopt;
  }

  Result<long long> Int(const std::string& name, long long def, long long lo, long long hi) const {
    auto v = Get(name);
    if (!v) return def;
    auto n = ParseWhole(Trim(*v));
    if (!n || *n < lo || *n > hi) {
      return Invalid(name, *v, "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    }
    return *n;
  }

 private:
  const std::map<std::string, std::string>& process_;
  const EnvMap& file_;
};

Result<TimeUs> ParseReconnectDelay(const std::string& v) {
  // Seconds ("2", "0.5") or a duration ("2s", "1m30s").
  std::string_view t = Trim(v);
  double secs = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), secs);
  TimeUs us = -1;
  if (ec == std::errc() && p == t.data() + t.size() && std::isfinite(secs)) {
    us = static_cast<TimeUs>(std::llround(secs * kUsPerSecond));
  } else if (auto d = ParseDuration(t); d.ok()) {
    us = *d;
  }
  if (us < 100'000 || us > kUsPerHour) {
    return Invalid("IB_STREAM_RECONNECT_DELAY", v, "seconds (e.g. 2 or 0.5) or a duration (e.g. 5s, 1m) from 0.1 s to 1h");
  }
  return us;
}

Result<double> ParseSimRate(const std::string& v) {
  std::string_view t = Trim(v);
  double r = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), r);
  if (ec != std::errc() || p != t.data() + t.size() || !std::isfinite(r) || r <= 0 || r > 1e6) {
    return Invalid("IB_STREAM_SIM_RATE", v, "ticks per second per contract, more than 0 and at most 1000000");
  }
  return r;
}

Result<bool> ParseBool(const std::string& name, const std::string& v) {
  std::string t(Trim(v));
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (t == "true" || t == "1" || t == "yes" || t == "on") return true;
  if (t == "false" || t == "0" || t == "no" || t == "off") return false;
  return Invalid(name, v, "true or false");
}

Status CheckUrl(const std::string& name, const std::string& v) {
  bool scheme = v.starts_with("http://") || v.starts_with("https://");
  std::string_view rest = std::string_view(v).substr(v.find("://") == std::string::npos ? 0 : v.find("://") + 3);
  if (!scheme || rest.empty() || rest.front() == '/' || v.find_first_of(" \t\r\n") != std::string::npos) {
    return Invalid(name, v, "an http:// or https:// URL of the upstream ib-stream server, e.g. http://127.0.0.1:8001");
  }
  return Status::Ok();
}

Status CheckApiKey(const std::string& key) {
  // The value is a secret: the message never shows it.
  if (key.size() < 8) {
    return Status::InvalidArgument("IB_STREAM_API_KEY is not valid (value not shown): expected at least 8 characters");
  }
  for (unsigned char c : key) {
    if (c <= 0x20 || c >= 0x7f) {
      return Status::InvalidArgument(
          "IB_STREAM_API_KEY is not valid (value not shown): expected printable ASCII without spaces (it is sent "
          "as the X-API-Key header)");
    }
  }
  return Status::Ok();
}

Status CheckInstanceName(const std::string& v) {
  bool ok = !v.empty() && v.size() <= 100;
  for (char c : v) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
  }
  if (!ok) return Invalid("IB_STREAM_INSTANCE_NAME", v, "1 to 100 letters, digits, '-', '_' or '.'");
  return Status::Ok();
}

}  // namespace

const std::vector<std::string>& RecorderVariableNames() {
  static const std::vector<std::string> kNames = {
      "IB_STREAM_ENVIRONMENT",     "IB_STREAM_STORAGE_PATH",     "IB_STREAM_INSTANCE_NAME",
      "IB_STREAM_TRACKED_CONTRACTS", "IB_STREAM_MAX_TRACKED",    "IB_STREAM_SOURCE",
      "PORT",                      "IB_STREAM_UPSTREAM_URL",     "IB_STREAM_RECORDER_PORT",
      "IB_STREAM_RECORDER_BIND",   "IB_STREAM_API_KEY",          "IB_STREAM_CLIENT_ID",
      "IB_STREAM_RECONNECT_DELAY", "IB_STREAM_FSYNC_INTERVAL_MS", "IB_STREAM_MIN_FREE_MB",
      "IB_STREAM_STALE_SECONDS",   "IB_STREAM_MAX_FILE_SIZE_MB", "IB_STREAM_SEAL_GRACE_SECONDS",
      "IB_STREAM_LZ4_LEVEL",       "IB_STREAM_SIM_RATE",         "IB_STREAM_ENABLE_STORAGE",
      "IB_STREAM_MAX_CONCURRENT_QUERIES",
  };
  return kNames;
}

bool IsLoopbackAddress(std::string_view bind) {
  return bind == "localhost" || bind == "::1" || bind == "[::1]" || bind.starts_with("127.");
}

Result<std::vector<TrackedContract>> ParseTrackedContracts(std::string_view text) {
  const std::string kName = "IB_STREAM_TRACKED_CONTRACTS";
  const std::string kShape = "id:symbol[:tick;types[:buffer_hours]] items separated by ',', e.g. "
                             "711280073:MNQ:bid_ask;last:24,265598:AAPL";
  std::vector<TrackedContract> out;
  if (Trim(text).empty()) return out;
  std::string_view rest = text;
  while (true) {
    std::size_t comma = rest.find(',');
    std::string item(Trim(rest.substr(0, comma)));
    auto bad = [&](const std::string& what) { return Invalid(kName, std::string(text), what + " in item '" + item + "'; items are " + kShape); };
    std::vector<std::string> f;
    for (std::string_view s = item;;) {
      std::size_t colon = s.find(':');
      f.emplace_back(Trim(s.substr(0, colon)));
      if (colon == std::string_view::npos) break;
      s.remove_prefix(colon + 1);
    }
    if (item.empty()) return bad("an empty item");
    if (f.size() < 2 || f.size() > 4) return bad("2 to 4 ':'-separated fields");
    TrackedContract c;
    auto id = ParseWhole(f[0]);
    if (!id || *id < 1 || *id > 4294967295LL) return bad("a contract id from 1 to 4294967295");
    c.contract_id = static_cast<std::uint32_t>(*id);
    if (f[1].empty()) return bad("a symbol");
    c.symbol = f[1];
    if (f.size() >= 3 && !f[2].empty()) {
      for (std::string_view s = f[2];;) {
        std::size_t semi = s.find(';');
        std::string_view name = Trim(s.substr(0, semi));
        auto tt = ParseTickTypeName(name);
        if (!tt) return bad("tick types from bid_ask, last, all_last, mid_point separated by ';'");
        if (std::find(c.tick_types.begin(), c.tick_types.end(), *tt) == c.tick_types.end()) c.tick_types.push_back(*tt);
        if (semi == std::string_view::npos) break;
        s.remove_prefix(semi + 1);
      }
    } else {
      c.tick_types = {TickType::kBidAsk, TickType::kLast};
    }
    if (f.size() == 4) {
      auto h = ParseWhole(f[3]);
      if (!h || *h < 1 || *h > 720) return bad("buffer hours from 1 to 720");
      c.buffer_hours = static_cast<int>(*h);
    }
    for (const auto& o : out) {
      if (o.contract_id == c.contract_id) return bad("each contract once (" + f[0] + " is listed twice)");
    }
    out.push_back(std::move(c));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
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

Result<RecorderConfig> ResolveRecorderConfig(const RecorderFlags& flags, const std::map<std::string, std::string>& environ_map) {
  EnvMap file;
  RecorderConfig c;
  if (!flags.env_file.empty()) {
    auto f = ReadEnvFile(flags.env_file);
    if (!f.ok()) return Status::InvalidArgument(f.status().message());
    file = std::move(f.value());
    c.env_file = flags.env_file;
    for (const auto& [k, v] : file) {
      const auto& known = RecorderVariableNames();
      if (k.starts_with("IB_STREAM_") && std::find(known.begin(), known.end(), k) == known.end()) {
        c.warnings.push_back("env file " + flags.env_file + " sets " + k +
                             ", which ib-recorder does not read (a typo?)");
      }
    }
  }
  Layers env(environ_map, file);

  // Environment first: it picks the port block and the defaults below.
  if (auto v = env.Get("IB_STREAM_ENVIRONMENT")) c.environment = std::string(Trim(*v));
  const PortBlock* block = nullptr;
  for (const auto& b : kPortBlocks) {
    if (c.environment == b.environment) block = &b;
  }
  if (!block) return Invalid("IB_STREAM_ENVIRONMENT", c.environment, "production, development or staging");

  auto port = env.Int("PORT", block->base + 1, 1, 65535);
  if (!port.ok()) return port.status();
  c.upstream_port = static_cast<int>(*port);
  auto rport = env.Int("IB_STREAM_RECORDER_PORT", block->base + 2, 1, 65535);
  if (!rport.ok()) return rport.status();
  c.recorder_port = static_cast<int>(*rport);
  if (flags.port) {
    if (*flags.port < 1 || *flags.port > 65535) return Invalid("--port", std::to_string(*flags.port), "1 to 65535");
    c.recorder_port = *flags.port;
  }
  auto client = env.Int("IB_STREAM_CLIENT_ID", block->client_id, 0, 2147483647);
  if (!client.ok()) return client.status();
  c.client_id = static_cast<int>(*client);

  c.storage_path = "/var/lib/ib-recorder/" + c.environment;
  if (auto v = env.Get("IB_STREAM_STORAGE_PATH")) c.storage_path = *v;
  if (!flags.storage.empty()) c.storage_path = flags.storage;
  {
    std::error_code ec;
    auto abs = std::filesystem::absolute(c.storage_path, ec);
    if (!ec) c.storage_path = abs.lexically_normal().string();
    while (c.storage_path.size() > 1 && c.storage_path.back() == '/') c.storage_path.pop_back();
  }

  c.instance_name = storage::DefaultInstanceName(c.environment);
  if (auto v = env.Get("IB_STREAM_INSTANCE_NAME")) {
    c.instance_name = std::string(Trim(*v));
    IBR_RETURN_IF_ERROR(CheckInstanceName(c.instance_name));
  }

  auto max_tracked = env.Int("IB_STREAM_MAX_TRACKED", 10, 1, 1000);
  if (!max_tracked.ok()) return max_tracked.status();
  c.max_tracked = static_cast<int>(*max_tracked);
  if (auto v = env.Get("IB_STREAM_TRACKED_CONTRACTS", /*empty_is_value=*/true)) {
    auto tracked = ParseTrackedContracts(*v);
    if (!tracked.ok()) return tracked.status();
    c.tracked = std::move(tracked.value());
  }
  if (static_cast<int>(c.tracked.size()) > c.max_tracked) {
    return Status::InvalidArgument("IB_STREAM_TRACKED_CONTRACTS lists " + std::to_string(c.tracked.size()) +
                                   " contracts, more than IB_STREAM_MAX_TRACKED=" + std::to_string(c.max_tracked) +
                                   ": track fewer or raise IB_STREAM_MAX_TRACKED");
  }

  if (auto v = env.Get("IB_STREAM_SOURCE")) c.source = std::string(Trim(*v));
  std::string source_name = "IB_STREAM_SOURCE";
  if (!flags.source.empty()) {
    c.source = flags.source;
    source_name = "--source";
  }
  if (c.source != "sse" && c.source != "sim" && c.source != "http") return Invalid(source_name, c.source, "sse, sim or http");

  c.upstream_url = "http://127.0.0.1:" + std::to_string(c.upstream_port);
  std::string url_name = "IB_STREAM_UPSTREAM_URL";
  if (auto v = env.Get("IB_STREAM_UPSTREAM_URL")) c.upstream_url = std::string(Trim(*v));
  if (!flags.upstream.empty()) {
    c.upstream_url = flags.upstream;
    url_name = "--upstream";
  }
  IBR_RETURN_IF_ERROR(CheckUrl(url_name, c.upstream_url));
  while (c.upstream_url.back() == '/') c.upstream_url.pop_back();

  if (auto v = env.Get("IB_STREAM_RECORDER_BIND")) c.bind = std::string(Trim(*v));
  std::string bind_name = "IB_STREAM_RECORDER_BIND";
  if (!flags.bind.empty()) {
    c.bind = flags.bind;
    bind_name = "--bind";
  }
  if (c.bind.empty() || c.bind.find_first_of(" \t/") != std::string::npos) {
    return Invalid(bind_name, c.bind, "an IP address or host name to listen on, e.g. 127.0.0.1");
  }
  if (auto v = env.Get("IB_STREAM_API_KEY")) {
    c.api_key = *v;
    IBR_RETURN_IF_ERROR(CheckApiKey(c.api_key));
  }
  if (!IsLoopbackAddress(c.bind) && c.api_key.empty()) {
    return Status::InvalidArgument(bind_name + "='" + c.bind +
                                   "' is not a loopback address: set IB_STREAM_API_KEY (every endpoint but /health "
                                   "then needs the X-API-Key header) or bind to 127.0.0.1");
  }

  if (auto v = env.Get("IB_STREAM_RECONNECT_DELAY")) {
    auto d = ParseReconnectDelay(*v);
    if (!d.ok()) return d.status();
    c.reconnect_delay = *d;
  }
  auto fsync_ms = env.Int("IB_STREAM_FSYNC_INTERVAL_MS", 1000, 1, 60'000);
  if (!fsync_ms.ok()) return fsync_ms.status();
  c.fsync_interval = *fsync_ms * 1000;
  auto min_free = env.Int("IB_STREAM_MIN_FREE_MB", 1024, 0, 1LL << 30);
  if (!min_free.ok()) return min_free.status();
  c.min_free_bytes = static_cast<std::uint64_t>(*min_free) << 20;
  auto stale = env.Int("IB_STREAM_STALE_SECONDS", 300, 1, 7 * 86400);
  if (!stale.ok()) return stale.status();
  c.stale_after = *stale * kUsPerSecond;
  auto max_mb = env.Int("IB_STREAM_MAX_FILE_SIZE_MB", 200, 1, 1 << 20);
  if (!max_mb.ok()) return max_mb.status();
  c.max_file_bytes = static_cast<std::uint64_t>(*max_mb) << 20;
  auto grace = env.Int("IB_STREAM_SEAL_GRACE_SECONDS", 300, 0, 7 * 86400);
  if (!grace.ok()) return grace.status();
  c.seal_grace = *grace * kUsPerSecond;
  auto level = env.Int("IB_STREAM_LZ4_LEVEL", 4, 0, 12);
  if (!level.ok()) return level.status();
  c.lz4_level = static_cast<int>(*level);
  auto queries = env.Int("IB_STREAM_MAX_CONCURRENT_QUERIES", 2, 1, 256);
  if (!queries.ok()) return queries.status();
  c.max_concurrent_queries = static_cast<int>(*queries);
  if (auto v = env.Get("IB_STREAM_SIM_RATE")) {
    auto r = ParseSimRate(*v);
    if (!r.ok()) return r.status();
    c.sim_rate = *r;
  }
  if (auto v = env.Get("IB_STREAM_ENABLE_STORAGE")) {
    auto b = ParseBool("IB_STREAM_ENABLE_STORAGE", *v);
    if (!b.ok()) return b.status();
    c.read_only = !*b;
  }
  if (flags.read_only) c.read_only = true;
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
      {"read_only", read_only},
      {"env_file", env_file},
      {"version", IBR_VERSION},
  };
  return SafeDump(j);
}

}  // namespace ibr::daemon
