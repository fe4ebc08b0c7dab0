// SyncLag: sync-state.json (what the agent committed, when) + the catalog (what is pending).
#include "http/sync_lag.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/time_text.h"
#include "storage/layout.h"

namespace ibr::http {
namespace {

std::string AgeText(TimeUs us) { return std::to_string(us / kUsPerSecond) + " s"; }

struct StateFile {
  std::string state, generation;
  std::optional<std::int64_t> position, rows_behind;
  std::optional<double> seconds_behind;
  std::optional<TimeUs> last_success, updated_at, poll_interval, next_pass_in;
  std::string last_error;
};

StateFile ParseStateFile(const nlohmann::json& doc) {
  StateFile f;
  auto ms = [](const nlohmann::json& v) -> std::optional<TimeUs> {
    if (!v.is_number_integer()) return std::nullopt;
    return v.get<std::int64_t>() * 1000;
  };
  for (const auto& [key, v] : doc.items()) {
    if (key == "state" && v.is_string()) f.state = v.get<std::string>();
    if (key == "generation" && v.is_string()) f.generation = v.get<std::string>();
    if (key == "position" && v.is_number_integer()) f.position = v.get<std::int64_t>();
    if (key == "rows_behind" && v.is_number_integer()) f.rows_behind = v.get<std::int64_t>();
    if (key == "seconds_behind" && v.is_number()) f.seconds_behind = v.get<double>();
    if (key == "last_error" && v.is_string()) f.last_error = v.get<std::string>();
    if (key == "last_success" && v.is_string()) f.last_success = ParseIsoTimestamp(v.get<std::string>());
    if (key == "updated_at" && v.is_string()) f.updated_at = ParseIsoTimestamp(v.get<std::string>());
    if (key == "poll_interval_ms") f.poll_interval = ms(v);
    if (key == "next_pass_in_ms") f.next_pass_in = ms(v);
  }
  return f;
}

}  // namespace

TimeUs SyncStateStaleAfter(std::optional<TimeUs> poll_interval, std::optional<TimeUs> next_pass_in) {
  TimeUs wait = next_pass_in.value_or(poll_interval.value_or(kUsPerSecond));
  wait = std::max<TimeUs>(wait, 0);
  return std::max<TimeUs>(3 * wait, wait + 15 * kUsPerSecond);
}

std::optional<SyncLag> ReadSyncLag(FileSystem& fs, const std::string& storage_root, catalog::Catalog* catalog,
                                   TimeUs now) {
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
  const StateFile f = ParseStateFile(doc);
  lag.state = f.state;
  lag.position = f.position;
  lag.last_success = f.last_success;
  lag.last_error = f.last_error;
  lag.updated_at = f.updated_at;
  lag.rows_behind = f.rows_behind;
  lag.seconds_behind = f.seconds_behind;

  // Alive? A stopped agent says so; a dead one (kill -9, crash, host trouble) stops writing.
  const TimeUs stale_after = SyncStateStaleAfter(f.poll_interval, f.next_pass_in);
  lag.stale_after = stale_after;
  const bool stale = !f.updated_at || now - *f.updated_at > stale_after;
  if (f.state != "stopped" && stale) {
    lag.state = "down";
    lag.last_error = f.updated_at ? "ib-sync has not updated " + path + " for " + AgeText(now - *f.updated_at) +
                                        " (stale after " + AgeText(stale_after) +
                                        "): is it running? (systemctl status ib-sync@<environment>)"
                                  : path + " has no updated_at: is this ib-sync's state file?";
  }
  lag.agent_up = !stale && (f.state == "syncing" || f.state == "caught_up");

  // The lag, counted now in the catalog from the agent's last committed position:
  // everything above it (all of it when the position belongs to another generation).
  if (catalog != nullptr) {
    const bool same_generation = !f.generation.empty() && f.generation == catalog->generation_id();
    const std::int64_t after = same_generation && f.position ? *f.position : 0;
    auto pending = catalog->CountChangesAfter(after);
    if (pending.ok()) {
      lag.lag_from_catalog = true;
      lag.rows_behind = pending->rows;
      lag.seconds_behind =
          pending->oldest ? std::max(0.0, static_cast<double>(now - *pending->oldest) / kUsPerSecond) : 0.0;
      // "caught up" is the catalog's to say: new rows since the agent's last pass are not in PostgreSQL.
      if (lag.state == "caught_up" && pending->rows > 0) lag.state = "syncing";
    }
  }
  return lag;
}

}  // namespace ibr::http
