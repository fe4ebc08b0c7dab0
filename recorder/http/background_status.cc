// BackgroundStatus: tracked contracts and their upstream streams.
#include "http/background_status.h"

#include <string>

#include "common/time_text.h"

namespace ibr::http {
namespace {

// The retention policy and what the daemon's hourly pass removed this session.
Json RetentionJson(const daemon::RecorderStatus& s, const daemon::RecorderConfig& config) {
  Json days = Json::object();
  for (const auto& [tt, d] : config.retention.days) days[std::string(TickTypeName(tt))] = d;
  return Json{{"enabled", s.retention_enabled},
              {"days", days},
              {"action", config.retention.archive_root.empty() ? "delete" : "archive"},
              {"archive_path", config.retention.archive_root},
              {"files_removed", s.retention_files},
              {"bytes_removed", s.retention_bytes},
              {"errors", s.retention_errors},
              {"last_pass", s.retention_last_pass ? Json(FormatIsoTimestamp(*s.retention_last_pass)) : Json()}};
}

}  // namespace

Json BuildBackgroundStatus(const daemon::RecorderStatus& s, const daemon::RecorderConfig& config, TimeUs now) {
  Json contracts = Json::object();
  std::size_t active = 0, streams = 0;
  bool any_connected = false;
  for (const auto& tc : config.tracked) {
    const daemon::ContractStatus* cs = nullptr;
    for (const auto& c : s.contracts) {
      if (c.contract_id == tc.contract_id) cs = &c;
    }
    const bool connected = cs != nullptr && cs->connected;
    any_connected = any_connected || connected;
    if (connected) ++active;
    streams += tc.tick_types.size();
    Json last_ticks = Json::object();
    for (const auto& st : s.streams) {
      if (st.contract_id == tc.contract_id && st.last_tick_time) {
        last_ticks[std::string(TickTypeName(st.tick_type))] = FormatIsoTimestamp(*st.last_tick_time);
      }
    }
    contracts[std::to_string(tc.contract_id)] =
        Json{{"symbol", tc.symbol},
             {"enabled", true},
             {"expected_tick_types", TickTypesJson(tc.tick_types)},
             {"active_tick_types", connected ? TickTypesJson(tc.tick_types) : Json::array()},
             {"stream_count", connected ? tc.tick_types.size() : 0},
             {"buffer_hours", tc.buffer_hours},
             {"connected", connected},
             {"reconnects", cs != nullptr ? cs->reconnects : 0},
             {"outages", cs != nullptr ? cs->outages : 0},
             {"last_tick_times", last_ticks}};
  }
  Json tracked = Json::array();
  for (const auto& tc : config.tracked) {
    tracked.push_back(Json{{"contract_id", tc.contract_id},
                           {"symbol", tc.symbol},
                           {"tick_types", TickTypesJson(tc.tick_types)},
                           {"buffer_hours", tc.buffer_hours}});
  }
  return Json{{"enabled", !config.tracked.empty()},
              {"mode", s.mode},
              {"timestamp", FormatIsoTimestamp(now)},
              {"status", Json{{"running", true},
                              {"tws_connected", any_connected},
                              {"total_contracts", config.tracked.size()},
                              {"active_contracts", active},
                              {"total_streams", streams},
                              {"contracts", contracts}}},
              {"config", Json{{"mode", s.mode},
                              {"source", config.source},
                              {"upstream_url", config.upstream_url},
                              {"environment", config.environment},
                              {"instance_name", config.instance_name},
                              {"max_tracked", config.max_tracked},
                              {"reconnect_delay_seconds", static_cast<double>(config.reconnect_delay) / kUsPerSecond},
                              {"stale_seconds", config.stale_after / kUsPerSecond},
                              {"tracked_contracts", tracked}}},
              {"retention", RetentionJson(s, config)}};
}

void HandleBackgroundStatus(const ApiContext& ctx, const httplib::Request&, httplib::Response& res) {
  ReplyJson(res, 200, BuildBackgroundStatus(ctx.service.Status(), ctx.config(), ctx.clock.Now()));
}

}  // namespace ibr::http
