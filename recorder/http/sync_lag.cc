// SyncLag: sync-state.json -> SyncLag, tolerant of missing keys.
#include "http/sync_lag.h"

#include <nlohmann/json.hpp>

#include "common/time_text.h"
#include "storage/layout.h"

namespace ibr::http {

std::optional<SyncLag> ReadSyncLag(FileSystem& fs, const std::string& storage_root) {
  const std::string path = storage::SyncStatePath(storage_root);
  if (!fs.Exists(path)) return std::nullopt;
  SyncLag lag;
  auto text = fs.ReadFile(path);
  if (!text.ok()) {
    lag.state = "unreadable";
    lag.last_error = text.status().message();
    return lag;
  }
  const nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  if (!doc.is_object()) {
    lag.state = "unreadable";
    lag.last_error = path + " is not a JSON object";
    return lag;
  }
  for (const auto& [key, v] : doc.items()) {
    if (key == "state" && v.is_string()) lag.state = v.get<std::string>();
    if (key == "rows_behind" && v.is_number_integer()) lag.rows_behind = v.get<std::int64_t>();
    if (key == "seconds_behind" && v.is_number()) lag.seconds_behind = v.get<double>();
    if (key == "last_error" && v.is_string()) lag.last_error = v.get<std::string>();
    if (key == "last_success" && v.is_string()) lag.last_success = ParseIsoTimestamp(v.get<std::string>());
    if (key == "updated_at" && v.is_string()) lag.updated_at = ParseIsoTimestamp(v.get<std::string>());
  }
  return lag;
}

}  // namespace ibr::http
