#include "sync_state.h"

#include <nlohmann/json.hpp>

#include "common/json_text.h"
#include "common/time_text.h"

namespace ibr::sync {

using nlohmann::json;

namespace {

template <typename T>
json Opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

std::string SyncStateToJson(const SyncState& s) {
  json j = {
      {"instance_name", s.instance_name},
      {"state", s.state},
      {"generation", s.generation},
      {"position", Opt(s.position)},
      {"catalog_max_change_no", s.catalog_max_change_no},
      {"rows_behind", Opt(s.rows_behind)},
      {"seconds_behind", Opt(s.seconds_behind)},
      {"last_success", s.last_success ? json(FormatIsoTimestamp(*s.last_success)) : json(nullptr)},
      {"last_error", Opt(s.last_error)},
      {"updated_at", FormatIsoTimestamp(s.updated_at)},
      {"poll_interval_ms", s.poll_interval ? json(*s.poll_interval / 1000) : json(nullptr)},
      {"next_pass_in_ms", s.next_pass_in ? json(*s.next_pass_in / 1000) : json(nullptr)},
  };
  return SafeDump(j, 2) + "\n";
}

Result<SyncState> SyncStateFromJson(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Status::Corruption("sync-state.json is not a JSON object");
  SyncState s;
  auto str = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : ""; };
  auto time = [&](const char* k) -> std::optional<TimeUs> {
    return j.contains(k) && j[k].is_string() ? ParseIsoTimestamp(j[k].get<std::string>()) : std::nullopt;
  };
  s.instance_name = str("instance_name");
  s.state = str("state");
  s.generation = str("generation");
  if (j.contains("position") && j["position"].is_number_integer()) s.position = j["position"].get<std::int64_t>();
  if (j.contains("catalog_max_change_no") && j["catalog_max_change_no"].is_number_integer()) {
    s.catalog_max_change_no = j["catalog_max_change_no"].get<std::int64_t>();
  }
  if (j.contains("rows_behind") && j["rows_behind"].is_number_integer()) {
    s.rows_behind = j["rows_behind"].get<std::int64_t>();
  }
  if (j.contains("seconds_behind") && j["seconds_behind"].is_number()) {
    s.seconds_behind = j["seconds_behind"].get<double>();
  }
  s.last_success = time("last_success");
  if (j.contains("last_error") && j["last_error"].is_string()) s.last_error = j["last_error"].get<std::string>();
  s.updated_at = time("updated_at").value_or(0);
  auto ms = [&](const char* k) -> std::optional<TimeUs> {
    if (!j.contains(k) || !j[k].is_number_integer()) return std::nullopt;
    return j[k].get<std::int64_t>() * 1000;
  };
  s.poll_interval = ms("poll_interval_ms");
  s.next_pass_in = ms("next_pass_in_ms");
  return s;
}

Status WriteSyncState(FileSystem& fs, const std::string& path, const SyncState& s) {
  return fs.WriteFileAtomic(path, SyncStateToJson(s));
}

Result<SyncState> ReadSyncState(FileSystem& fs, const std::string& path) {
  auto text = fs.ReadFile(path);
  if (!text.ok()) return text.status();
  return SyncStateFromJson(*text);
}

}  // namespace ibr::sync
