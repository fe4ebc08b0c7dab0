// Metrics: exposition text.
#include "http/metrics.h"

#include <cmath>
#include <limits>
#include <string_view>
#include <utility>
#include <vector>

#include "http/tick_reader.h"
#include "query/value_text.h"

namespace ibr::http {
namespace {

// Writes families: one HELP/TYPE header, then samples.
class Exposition {
 public:
  void Family(std::string_view name, std::string_view type, std::string_view help) {
    name_ = name;
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  void Sample(double v, const std::vector<std::pair<std::string, std::string>>& labels = {}) {
    out_ += name_;
    if (!labels.empty()) {
      out_ += '{';
      for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i != 0) out_ += ',';
        out_ += labels[i].first;
        out_ += "=\"";
        for (char c : labels[i].second) {
          if (c == '\\' || c == '"') out_ += '\\';
          if (c == '\n') {
            out_ += "\\n";
            continue;
          }
          out_ += c;
        }
        out_ += '"';
      }
      out_ += '}';
    }
    out_ += ' ';
    if (std::isnan(v)) {
      out_ += "NaN";  // the exposition format's "no value"
    } else if (std::abs(v) < 9e18 && v == static_cast<double>(static_cast<std::int64_t>(v))) {
      query::AppendInt(out_, static_cast<std::int64_t>(v));
    } else {
      query::AppendDouble(out_, v);
    }
    out_ += '\n';
  }
  // A family with one unlabelled sample.
  void One(std::string_view name, std::string_view type, std::string_view help, double v) {
    Family(name, type, help);
    Sample(v);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
  std::string name_;
};

double D(std::uint64_t v) { return static_cast<double>(v); }

}  // namespace

std::string RenderMetrics(const daemon::RecorderStatus& s, const std::optional<SyncLag>& sync,
                          std::size_t open_streams, TimeUs now) {
  Exposition e;
  e.One("ib_recorder_up", "gauge", "1 while the recorder answers.", 1);
  e.One("ib_recorder_uptime_seconds", "gauge", "Seconds since this recorder started.", D(s.uptime_seconds));
  e.One("ib_recorder_read_only", "gauge", "1 when serving a storage root read-only (--read-only).", s.read_only);
  e.Family("ib_recorder_mode", "gauge", "1 for the mode this recorder runs in (README \"Modes\").");
  e.Sample(1, {{"mode", s.mode}});
  e.One("ib_recorder_ticks_relayed_total", "counter", "Upstream ticks relayed to live clients (passthrough).",
        D(s.ticks_relayed));

  e.Family("ib_recorder_ticks_stored_total", "counter", "Ticks stored this session, per contract and tick type.");
  for (const auto& st : s.streams) {
    e.Sample(D(st.ticks), {{"contract_id", std::to_string(st.contract_id)},
                           {"tick_type", std::string(TickTypeName(st.tick_type))}});
  }
  e.Family("ib_recorder_last_tick_age_seconds", "gauge",
           "Seconds since the newest tick of a contract and tick type was stored.");
  for (const auto& st : s.streams) {
    if (!st.last_tick_wall) continue;
    e.Sample(static_cast<double>(now - *st.last_tick_wall) / kUsPerSecond,
             {{"contract_id", std::to_string(st.contract_id)}, {"tick_type", std::string(TickTypeName(st.tick_type))}});
  }
  e.Family("ib_recorder_rejects_total", "counter", "Input lines rejected, by reason code.");
  for (const auto& [reason, n] : s.rejects_by_reason) e.Sample(D(n), {{"reason", reason}});
  e.One("ib_recorder_rejects_not_kept_total", "counter",
        "Rejected lines counted but not kept in rejects/ (the quarantine's per-batch or per-day bound).",
        D(s.rejects_not_kept));
  e.Family("ib_recorder_dropped_total", "counter", "Valid ticks not stored (disk_full, queue_full), by reason.");
  for (const auto& [reason, n] : s.dropped_by_reason) e.Sample(D(n), {{"reason", reason}});
  e.One("ib_recorder_lifecycle_events_total", "counter", "info/error/complete messages recorded.",
        D(s.lifecycle_events));
  e.One("ib_recorder_heartbeats_total", "counter", "Heartbeat messages received.", D(s.heartbeats));
  e.One("ib_recorder_bytes_written_total", "counter", "Bytes written to tick files this session.",
        D(s.bytes_written));
  e.Family("ib_recorder_files", "gauge",
           "Tick files by state (open: held by the writer; sealed: compressed, in the catalog, every session's).");
  e.Sample(D(s.open_files), {{"state", "open"}});
  e.Sample(D(s.sealed_files), {{"state", "sealed"}});
  e.One("ib_recorder_files_today", "gauge", "Tick files of the current UTC day.", D(s.files_today));
  e.One("ib_recorder_bytes_today", "gauge", "Bytes in tick files of the current UTC day.", D(s.bytes_today));
  e.One("ib_recorder_seal_seconds", "gauge", "How long this session's last seal took (NaN: no seal yet).",
        s.last_seal_seconds.value_or(std::numeric_limits<double>::quiet_NaN()));
  e.One("ib_recorder_seals_total", "counter", "Files sealed this session.", D(s.seals));
  e.Family("ib_recorder_retention_files_total", "counter",
           "Expired sealed files the hourly retention pass removed this session, by action (deleted/archived).");
  e.Sample(D(s.retention_files), {{"action", s.retention_archives ? "archived" : "deleted"}});
  e.One("ib_recorder_retention_bytes_total", "counter", "Bytes in the files retention removed this session.",
        D(s.retention_bytes));
  e.One("ib_recorder_retention_errors_total", "counter",
        "Files (or passes) retention could not remove this session (rows stay marked; see the log).",
        D(s.retention_errors));
  e.One("ib_recorder_queue_depth", "gauge", "Items waiting for the writer thread.", D(s.queue_depth));
  e.One("ib_recorder_seal_queue_depth", "gauge", "Closed files waiting for (or in) the sealer thread.",
        D(s.seal_queue));
  e.One("ib_recorder_queue_capacity", "gauge", "Bound of the writer queue.", D(s.queue_capacity));
  e.One("ib_recorder_outages_total", "counter", "Upstream outages this session.", D(s.outages_total));
  e.One("ib_recorder_reconnects_total", "counter", "Upstream reconnects this session.", D(s.reconnects_total));
  e.One("ib_recorder_disk_free_bytes", "gauge", "Free bytes on the storage file system.", D(s.disk_free_bytes));
  e.One("ib_recorder_disk_full", "gauge", "1 while writing is paused for lack of disk space.", s.disk_full);
  e.One("ib_recorder_live_subscribers", "gauge", "Live tick subscribers (SSE clients).", D(s.live_subscribers));
  e.One("ib_recorder_http_live_streams", "gauge", "Live SSE streams this HTTP server holds open.",
        D(open_streams));
  if (sync) {
    e.One("ib_sync_up", "gauge",
          "1 when ib-sync is syncing or caught up and its sync-state.json is fresh (see SYNC.md for the rule).",
          sync->agent_up);
    if (sync->updated_at) {
      e.One("ib_sync_state_age_seconds", "gauge", "Seconds since ib-sync last wrote sync-state.json.",
            static_cast<double>(now - *sync->updated_at) / kUsPerSecond);
    }
    if (sync->rows_behind) {
      e.One("ib_sync_rows_behind", "gauge",
            "Catalog rows and tombstones above the agent's last committed position (not yet in PostgreSQL).",
            static_cast<double>(*sync->rows_behind));
    }
    if (sync->seconds_behind) {
      e.One("ib_sync_seconds_behind", "gauge", "Age of the oldest catalog change not yet in PostgreSQL.",
            *sync->seconds_behind);
    }
  }
  return e.Take();
}

std::string RenderConnectionMetrics(const ConnectionGate::Counters& c) {
  Exposition e;
  e.One("ib_recorder_http_connections_waiting", "gauge", "Connections waiting for their request head.",
        D(c.waiting));
  e.One("ib_recorder_http_requests_in_progress", "gauge", "Requests on workers (live streams included).",
        D(c.in_progress));
  e.Family("ib_recorder_http_refused_total", "counter",
           "Requests answered by the connection gate before any handler: busy (503), timeout (408), "
           "bad (400/413/414/431).");
  e.Sample(D(c.refused_busy), {{"reason", "busy"}});
  e.Sample(D(c.timed_out), {{"reason", "timeout"}});
  e.Sample(D(c.bad_requests), {{"reason", "bad"}});
  return e.Take();
}

void HandleMetrics(const ApiContext& ctx, const httplib::Request&, httplib::Response& res) {
  const TimeUs now = ctx.clock.Now();
  auto cat = OpenReadCatalog(ctx.root(), ctx.clock);
  catalog::Catalog* catalog = cat.ok() ? cat->get() : nullptr;
  std::string text =
      RenderMetrics(ctx.service.Status(), ReadSyncLag(ctx.fs, ctx.root(), catalog, now), ctx.streams.open(), now);
  if (ctx.connections != nullptr) text += RenderConnectionMetrics(ctx.connections->counters());
  res.status = 200;
  res.set_content(text, "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace ibr::http
