// config check: the registry's per-variable checks plus the checks across
// variables and across the environments' files of one directory.
#include "config/config_check.h"

#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/env_file.h"
#include "common/json_text.h"
#include "config/config_text.h"
#include "config/effective_settings.h"
#include "config/environments.h"
#include "config/setting_check.h"
#include "config/settings_registry.h"
#include "config/tracked_contracts.h"

namespace ibr::config {
namespace {

// What an env file makes of the settings compared across files.
struct FileFacts {
  const Environment* env = nullptr;
  std::string client_id;
  std::string storage;  // absolute, normalised
};

std::string Effective(const EnvMap& file, const char* name, const Environment& env) {
  const Setting& s = SettingNamed(name);
  if (const std::string* v = LayerValue(s, file)) return *v;
  return DefaultValue(s, env, env.upstream_port(), "");
}

std::string NormalPath(const std::string& p) {
  std::error_code ec;
  std::string out = std::filesystem::absolute(p, ec).lexically_normal().string();
  if (ec) out = p;
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

FileFacts Facts(const EnvMap& file) {
  FileFacts f;
  const std::string* env = LayerValue(SettingNamed("IB_STREAM_ENVIRONMENT"), file);
  f.env = env ? FindEnvironment(*env) : &Environments().front();
  if (!f.env) return f;
  f.client_id = Effective(file, "IB_STREAM_CLIENT_ID", *f.env);
  f.storage = NormalPath(Effective(file, "IB_STREAM_STORAGE_PATH", *f.env));
  return f;
}

std::string ShownValue(const Setting* s, const std::string& v) { return s && s->secret() ? "(not shown)" : Printable(v); }

// Empty when this user may write `dir`, or create it; else why not.
std::string WritableProblem(const std::string& dir) {
  std::error_code ec;
  std::filesystem::path p(dir);
  if (std::filesystem::exists(p, ec)) {
    if (!std::filesystem::is_directory(p, ec)) return "it exists and is not a directory";
    if (::access(dir.c_str(), W_OK | X_OK) != 0) return "this user (uid " + std::to_string(::getuid()) + ") cannot write it";
    return "";
  }
  for (std::filesystem::path up = p.parent_path(); !up.empty(); up = up.parent_path()) {
    if (std::filesystem::exists(up, ec)) {
      if (!std::filesystem::is_directory(up, ec)) return up.string() + " is not a directory";
      if (::access(up.c_str(), W_OK | X_OK) != 0) {
        return "it does not exist and this user (uid " + std::to_string(::getuid()) + ") cannot create it in " +
               up.string();
      }
      return "";
    }
    if (up == up.parent_path()) break;
  }
  return "no parent directory exists";
}

class Checker {
 public:
  Checker(FileSystem& fs, const std::string& path, const ConfigCheckOptions& o) : fs_(fs), path_(path), o_(o) {}

  std::vector<ConfigProblem> Run(const EnvMap& file) {
    for (const auto& [name, value] : file) CheckOne(name, value);
    FileFacts me = Facts(file);
    if (!me.env) return std::move(problems_);  // IB_STREAM_ENVIRONMENT reported above
    if (o_.program == kRecorder) {
      CheckPorts(file, *me.env);
      CheckTracked(file);
      CheckBind(file);
      CheckIsolatedRoot(file, me);
    }
    CheckOtherFiles(me);
    const std::string storage = Effective(file, "IB_STREAM_STORAGE_PATH", *me.env);
    if (IsPlainText(storage) && !storage.empty()) {
      if (std::string why = WritableProblem(me.storage); !why.empty()) {
        Add("IB_STREAM_STORAGE_PATH", storage,
            "IB_STREAM_STORAGE_PATH='" + Printable(storage) + "' cannot be used: " + why +
                "; expected a directory this user can write (or create), e.g. chown it to the service user");
      }
    }
    return std::move(problems_);
  }

 private:
  void Add(const std::string& variable, const std::string& value, const std::string& message) {
    problems_.push_back({variable, ShownValue(FindSetting(variable), value), message});
  }

  void CheckOne(const std::string& name, const std::string& value) {
    const Setting* s = FindSetting(name);
    if (!s) {
      if (LooksLikeOurs(name)) {
        std::string near = NearestSetting(name);
        problems_.push_back({Printable(name), "(not shown)",
                             Printable(name) + " is not a setting ib-recorder or ib-sync reads (a typo?)" +
                                 (near.empty() ? std::string() : ": did you mean " + near + "?")});
      }
      return;
    }
    if (value.empty() && !s->empty_is_value) return;  // empty: the default
    Status st = CheckSetting(*s, value);
    if (st.ok() && s->kind == SettingKind::kDsn && o_.check_dsn) st = o_.check_dsn(value);
    if (!st.ok()) Add(name, value, st.message());
  }

  // IB_STREAM_MODE=isolated records into a root of its own, never the environment's.
  void CheckIsolatedRoot(const EnvMap& file, const FileFacts& me) {
    const std::string* mode = LayerValue(SettingNamed("IB_STREAM_MODE"), file);
    if (!mode || TrimBlanks(*mode) != "isolated" || me.storage != NormalPath(me.env->storage_root())) return;
    Add("IB_STREAM_MODE", *mode,
        std::string("IB_STREAM_MODE='isolated' needs its own storage root, but IB_STREAM_STORAGE_PATH is the ") +
            me.env->name + " environment's (" + me.env->storage_root() +
            "): expected IB_STREAM_STORAGE_PATH set to another directory, e.g. /var/lib/ib-recorder/feature-xyz");
  }

  void CheckPorts(const EnvMap& file, const Environment& env) {
    for (const char* name : {"PORT", "IB_STREAM_RECORDER_PORT"}) {
      const std::string* v = LayerValue(SettingNamed(name), file);
      if (!v) continue;
      auto n = IntegerValue(SettingNamed(name), *v);
      if (!n.ok()) continue;  // reported by CheckOne
      if (*n < env.port_base || *n > env.port_block_end()) {
        Add(name, *v,
            std::string(name) + "='" + Printable(*v) + "' is outside the " + env.name + " port block: expected " +
                std::to_string(env.port_base) + " to " + std::to_string(env.port_block_end()) + " (" +
                (std::string(name) == "PORT" ? "upstream ib-stream: " + std::to_string(env.upstream_port())
                                             : "recorder: " + std::to_string(env.recorder_port())) +
                ")");
      }
    }
  }

  void CheckTracked(const EnvMap& file) {
    const std::string* v = LayerValue(SettingNamed("IB_STREAM_TRACKED_CONTRACTS"), file);
    if (!v) return;
    auto tracked = ParseTrackedContracts(*v);
    if (!tracked.ok()) return;  // reported by CheckOne
    long long max = std::stoll(SettingNamed("IB_STREAM_MAX_TRACKED").default_text);
    if (const std::string* m = LayerValue(SettingNamed("IB_STREAM_MAX_TRACKED"), file)) {
      auto n = IntegerValue(SettingNamed("IB_STREAM_MAX_TRACKED"), *m);
      if (!n.ok()) return;
      max = *n;
    }
    if (static_cast<long long>(tracked->size()) > max) {
      Add("IB_STREAM_TRACKED_CONTRACTS", *v,
          "IB_STREAM_TRACKED_CONTRACTS lists " + std::to_string(tracked->size()) +
              " contracts, more than IB_STREAM_MAX_TRACKED=" + std::to_string(max) +
              ": expected at most that many (track fewer or raise IB_STREAM_MAX_TRACKED)");
    }
  }

  void CheckBind(const EnvMap& file) {
    const Setting& s = SettingNamed("IB_STREAM_RECORDER_BIND");
    const std::string* v = LayerValue(s, file);
    if (!v || !CheckSetting(s, *v).ok()) return;
    const std::string* key = LayerValue(SettingNamed("IB_STREAM_API_KEY"), file);
    Status st = CheckBindAddress(s.name, *v, key != nullptr, *o_.resolver);
    if (!st.ok()) Add(s.name, *v, st.message());
  }

  void CheckOtherFiles(const FileFacts& me) {
    std::filesystem::path self(path_);
    std::string dir = self.parent_path().string();
    if (dir.empty()) dir = ".";
    auto entries = fs_.ListDir(dir);
    if (!entries.ok()) return;
    std::error_code ec;
    for (const auto& e : *entries) {
      if (!e.name.ends_with(".env")) continue;
      std::filesystem::path other = std::filesystem::path(dir) / e.name;
      if (std::filesystem::equivalent(other, self, ec)) continue;
      auto text = fs_.ReadFile(other.string());
      if (!text.ok()) continue;
      auto parsed = ParseEnvText(*text, other.string());
      if (!parsed.ok()) continue;
      FileFacts them = Facts(*parsed);
      if (!them.env || them.env == me.env) continue;  // same environment: alternatives (e.g. a template)
      if (them.client_id == me.client_id) {
        Add("IB_STREAM_CLIENT_ID", me.client_id,
            "IB_STREAM_CLIENT_ID='" + Printable(me.client_id) + "' is also the client id of " + e.name + " (" +
                them.env->name + "): expected a TWS client id no other environment uses (" + me.env->name + ": " +
                std::to_string(me.env->client_id) + ")");
      }
      if (them.storage == me.storage) {
        Add("IB_STREAM_STORAGE_PATH", me.storage,
            "IB_STREAM_STORAGE_PATH='" + Printable(me.storage) + "' is also the storage root of " + e.name + " (" +
                them.env->name + "): expected a storage root of this environment's own (" + me.env->storage_root() +
                ")");
      }
    }
  }

  FileSystem& fs_;
  const std::string path_;
  const ConfigCheckOptions& o_;
  std::vector<ConfigProblem> problems_;
};

}  // namespace

Result<std::vector<ConfigProblem>> CheckEnvFile(FileSystem& fs, const std::string& path,
                                                const ConfigCheckOptions& options) {
  auto text = fs.ReadFile(path);
  if (!text.ok()) return text.status();
  auto parsed = ParseEnvText(*text, Printable(path));
  if (!parsed.ok()) return std::vector<ConfigProblem>{{"", "", parsed.status().message()}};
  return Checker(fs, path, options).Run(*parsed);
}

std::string ProblemsJson(const std::string& path, const std::vector<ConfigProblem>& problems) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& p : problems) {
    list.push_back({{"variable", Printable(p.variable)}, {"value", Printable(p.value)}, {"message", Printable(p.message)}});
  }
  nlohmann::json j = {{"file", Printable(path)}, {"ok", problems.empty()}, {"problems", list}};
  return SafeDump(j);
}

}  // namespace ibr::config
