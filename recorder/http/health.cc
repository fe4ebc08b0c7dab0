// Health: checks and stale-stream warnings.
#include "http/health.h"

#include "catalog/catalog.h"
#include "common/time_text.h"
#include "format/file_header.h"

namespace ibr::http {
namespace {

const daemon::StreamStatus* FindStream(const daemon::RecorderStatus& s, std::uint32_t cid, TickType tt) {
  for (const auto& st : s.streams) {
    if (st.contract_id == cid && st.tick_type == tt) return &st;
  }
  return nullptr;
}

std::string Seconds(TimeUs d) { return std::to_string(d / kUsPerSecond) + " s"; }

}  // namespace

std::vector<std::string> StaleStreamWarnings(const daemon::RecorderStatus& status,
                                             const daemon::RecorderConfig& config, TimeUs now) {
  std::vector<std::string> out;
  for (const auto& c : config.tracked) {
    for (TickType tt : c.tick_types) {
      const auto* st = FindStream(status, c.contract_id, tt);
      const std::string name = std::to_string(c.contract_id) + (c.symbol.empty() ? "" : " (" + c.symbol + ")") + " " +
                               std::string(TickTypeName(tt));
      if (st != nullptr && st->last_tick_wall) {
        const TimeUs age = now - *st->last_tick_wall;
        if (age > config.stale_after) {
          out.push_back(name + ": no tick for " + Seconds(age) + " (last at " + FormatIsoTimestamp(*st->last_tick_wall) +
                        "; stale after " + Seconds(config.stale_after) + ")");
        }
      } else if (status.session_start != 0 && now - status.session_start > config.stale_after) {
        out.push_back(name + ": no tick since the session started " + Seconds(now - status.session_start) +
                      " ago (stale after " + Seconds(config.stale_after) + ")");
      }
    }
  }
  return out;
}

bool AllUpstreamsDown(const daemon::RecorderStatus& status) {
  if (status.source != "sse" || status.read_only) return false;
  bool any = false;
  for (const auto& c : status.contracts) {
    if (!c.tracked) continue;
    any = true;
    if (c.connected) return false;
  }
  return any;
}

std::vector<std::string> UpstreamDownWarnings(const daemon::RecorderStatus& status, TimeUs now) {
  std::vector<std::string> out;
  if (status.source != "sse" || status.read_only) return out;
  for (const auto& c : status.contracts) {
    if (!c.tracked || c.connected) continue;
    std::string w = "upstream " + std::to_string(c.contract_id) + (c.symbol.empty() ? "" : " (" + c.symbol + ")") +
                    " disconnected";
    if (c.last_disconnect_at) w += " " + Seconds(now - *c.last_disconnect_at) + " ago";
    w += c.last_disconnect.empty() ? " (not connected yet)" : ": " + c.last_disconnect;
    w += "; " + std::to_string(c.reconnect_attempts) + " reconnect attempt" + (c.reconnect_attempts == 1 ? "" : "s") +
         " failed since";
    out.push_back(std::move(w));
  }
  return out;
}

HealthReport BuildHealth(const daemon::RecorderStatus& status, const daemon::RecorderConfig& config, TimeUs now) {
  std::vector<std::string> problems;
  if (!status.storage_writable && !status.read_only) problems.push_back("storage is not writable");
  if (!status.catalog_ok) problems.push_back("the catalog fails");
  if (status.disk_full) {
    problems.push_back("disk full: " + std::to_string(status.disk_free_bytes) + " bytes free, below the floor of " +
                       std::to_string(config.min_free_bytes) + " (IB_STREAM_MIN_FREE_MB); new ticks are dropped");
  }
  Json checks{{"storage_writable", status.storage_writable},
              {"catalog_ok", status.catalog_ok},
              {"disk_full", status.disk_full},
              {"disk_free_bytes", status.disk_free_bytes},
              {"min_free_bytes", config.min_free_bytes},
              {"read_only", status.read_only},
              {"mode", status.mode},
              {"queue_depth", status.queue_depth},
              {"queue_capacity", status.queue_capacity}};
  if (!status.last_error.empty()) checks["last_error"] = status.last_error;
  std::vector<std::string> warnings = StaleStreamWarnings(status, config, now);
  if (status.source == "sse" && !status.read_only) {
    std::size_t up = 0, tracked = 0;
    for (const auto& c : status.contracts) {
      if (!c.tracked) continue;
      ++tracked;
      up += c.connected ? 1 : 0;
    }
    checks["upstream_streams"] = tracked;
    checks["upstream_connected"] = up;
  }
  if (status.mode == "passthrough") {
    checks["upstream_relays"] = status.relays_open;
    checks["upstream_connected"] = status.relays_connected;
    checks["ticks_relayed"] = status.ticks_relayed;
    if (!status.last_error.empty()) warnings.push_back(status.last_error);
    for (const auto& c : status.contracts) {
      if (c.tick_types.empty() || c.connected || c.last_disconnect.empty()) continue;
      warnings.push_back("passthrough: upstream stream of " + std::to_string(c.contract_id) + " is down: " +
                         c.last_disconnect);
    }
  }
  const std::vector<std::string> down = UpstreamDownWarnings(status, now);
  // 503 only when what arrives cannot be stored; a dead upstream is "degraded" (200): restarting
  // the recorder would not bring it back (README "/health").
  const bool unhealthy = !problems.empty();
  const bool degraded = AllUpstreamsDown(status);
  if (degraded) {
    problems.push_back("every upstream stream is disconnected (" + status.upstream_url +
                       "): nothing is being recorded; is ib-stream running? Details in the warnings");
  }
  warnings.insert(warnings.begin(), down.begin(), down.end());

  HealthReport r;
  r.status = unhealthy ? "unhealthy" : degraded ? "degraded" : "ok";
  r.http_status = unhealthy ? 503 : 200;
  r.body = Json{{"status", r.status},
                {"mode", status.mode},
                {"instance", status.instance_name},
                {"timestamp", FormatIsoTimestamp(now)},
                {"checks", checks}};
  // What this binary writes and reads (migrate prepare --target-url compares them).
  r.body["storage"] = Json{{"file_format_version", format::kFormatVersion},
                           {"catalog_schema_version", catalog::kSchemaVersion}};
  if (!problems.empty()) r.body["problems"] = problems;
  r.body["warnings"] = warnings;
  return r;
}

void HandleHealth(const ApiContext& ctx, const httplib::Request&, httplib::Response& res) {
  HealthReport r = BuildHealth(ctx.service.Status(), ctx.config(), ctx.clock.Now());
  ReplyJson(res, r.http_status, r.body);
}

}  // namespace ibr::http
