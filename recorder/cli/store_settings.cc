// StoreSettings: environment variables for writer commands.
#include "cli/store_settings.h"

#include <charconv>
#include <cstdlib>

namespace ibr::cli {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

Result<long long> EnvInt(const char* name, long long def, long long lo, long long hi) {
  std::string v = Env(name);
  if (v.empty()) return def;
  long long out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || out < lo || out > hi) {
    return Status::InvalidArgument(std::string(name) + "='" + v + "' is not valid: expected a whole number from " +
                                   std::to_string(lo) + " to " + std::to_string(hi));
  }
  return out;
}

}  // namespace

Result<std::string> StorageRoot(const std::string& storage_flag) {
  std::string root = storage_flag.empty() ? Env("IB_STREAM_STORAGE_PATH") : storage_flag;
  if (root.empty()) {
    return Status::InvalidArgument("no storage root: pass --storage DIR or set IB_STREAM_STORAGE_PATH");
  }
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
  std::string env = Env("IB_STREAM_ENVIRONMENT");
  if (!env.empty()) {
    if (env != "production" && env != "staging" && env != "development") {
      return Status::InvalidArgument("IB_STREAM_ENVIRONMENT='" + env +
                                     "' is not valid: expected production, staging or development");
    }
    o.environment = env;
  }
  auto mb = EnvInt("IB_STREAM_MAX_FILE_SIZE_MB", 200, 1, 1 << 20);
  if (!mb.ok()) return mb.status();
  o.max_file_bytes = static_cast<std::uint64_t>(*mb) << 20;
  auto grace = EnvInt("IB_STREAM_SEAL_GRACE_SECONDS", 300, 0, 7 * 86400);
  if (!grace.ok()) return grace.status();
  o.seal_grace = *grace * kUsPerSecond;
  auto level = EnvInt("IB_STREAM_LZ4_LEVEL", 4, 0, 12);
  if (!level.ok()) return level.status();
  o.lz4_level = static_cast<int>(*level);
  return o;
}

}  // namespace ibr::cli
