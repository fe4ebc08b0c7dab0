// StoreSettings: environment variables for writer commands, checked against the settings registry.
#include "cli/store_settings.h"

#include <cstdlib>

#include "config/config_text.h"
#include "config/setting_check.h"
#include "config/settings_registry.h"

namespace ibr::cli {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

Result<long long> EnvInt(const char* name) {
  const config::Setting& s = config::SettingNamed(name);
  std::string v = Env(name);
  if (v.empty()) return std::stoll(s.default_text);
  return config::IntegerValue(s, v);
}

}  // namespace

Result<storage::RetentionPolicy> RetentionPolicyFromEnv() {
  storage::RetentionPolicy p;
  auto all = EnvInt("IB_STREAM_RETENTION_DAYS");
  if (!all.ok()) return all.status();
  for (TickType tt : {TickType::kBidAsk, TickType::kLast, TickType::kAllLast, TickType::kMidPoint}) {
    std::string name = "IB_STREAM_RETENTION_DAYS_";
    for (char c : std::string(TickTypeName(tt))) name += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    const std::string v = Env(name.c_str());
    if (v.empty()) {
      p.days[tt] = static_cast<int>(*all);
      continue;
    }
    auto d = config::IntegerValue(config::SettingNamed(name), v);
    if (!d.ok()) return d.status();
    p.days[tt] = static_cast<int>(*d);
  }
  p.archive_root = Env("IB_STREAM_ARCHIVE_PATH");
  if (!p.archive_root.empty()) {
    IBR_RETURN_IF_ERROR(config::CheckSetting(config::SettingNamed("IB_STREAM_ARCHIVE_PATH"), p.archive_root));
  }
  return p;
}

Result<std::string> StorageRoot(const std::string& storage_flag) {
  std::string root = storage_flag.empty() ? Env("IB_STREAM_STORAGE_PATH") : storage_flag;
  if (root.empty()) {
    return Status::InvalidArgument("no storage root: pass --storage DIR or set IB_STREAM_STORAGE_PATH");
  }
  IBR_RETURN_IF_ERROR(config::CheckSetting(config::SettingNamed("IB_STREAM_STORAGE_PATH"), root,
                                           storage_flag.empty() ? "" : "--storage"));
  return root;
}

Result<storage::StoreOptions> StoreOptionsFromEnv(const std::string& storage_flag, const std::string& instance_flag,
                                                  const std::string& purpose) {
  storage::StoreOptions o;
  auto root = StorageRoot(storage_flag);
  if (!root.ok()) return root.status();
  o.root = *root;
  o.purpose = purpose;
  o.instance_name = instance_flag.empty() ? Env("IB_STREAM_INSTANCE_NAME") : instance_flag;
  if (!o.instance_name.empty()) {  // the rule `run` applies (empty: the root's own, else {environment}-{hostname})
    IBR_RETURN_IF_ERROR(config::CheckSetting(config::SettingNamed("IB_STREAM_INSTANCE_NAME"), o.instance_name,
                                             instance_flag.empty() ? "" : "--instance-name"));
  }
  std::string env = Env("IB_STREAM_ENVIRONMENT");
  if (!env.empty()) {
    IBR_RETURN_IF_ERROR(config::CheckSetting(config::SettingNamed("IB_STREAM_ENVIRONMENT"), env));
    o.environment = env;
  }
  auto mb = EnvInt("IB_STREAM_MAX_FILE_SIZE_MB");
  if (!mb.ok()) return mb.status();
  o.max_file_bytes = static_cast<std::uint64_t>(*mb) << 20;
  auto grace = EnvInt("IB_STREAM_SEAL_GRACE_SECONDS");
  if (!grace.ok()) return grace.status();
  o.seal_grace = *grace * kUsPerSecond;
  auto level = EnvInt("IB_STREAM_LZ4_LEVEL");
  if (!level.ok()) return level.status();
  o.lz4_level = static_cast<int>(*level);
  auto workers = EnvInt("IB_STREAM_WORKERS");
  if (!workers.ok()) return workers.status();
  o.workers = static_cast<int>(*workers);
  return o;
}

}  // namespace ibr::cli
