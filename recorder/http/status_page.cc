// StatusPage: the HTML.
#include "http/status_page.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

#include "common/time_text.h"
#include "http/health.h"
#include "http/html_text.h"
#include "http/sparkline.h"
#include "http/tick_reader.h"

namespace ibr::http {
namespace {

constexpr const char* kStyle =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1f2328;background:#fff}"
    "h1{font-size:1.4em;margin:0 0 .3em}h1 small{color:#59636e;font-weight:normal}"
    "h2{font-size:1.1em;margin:1.4em 0 .4em;border-bottom:1px solid #d1d9e0}"
    "table{border-collapse:collapse}td,th{padding:.2em .7em;text-align:left;border-bottom:1px solid #eef0f2}"
    "th{color:#59636e;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".ok{color:#1a7f37}.bad{color:#cf222e;font-weight:600}.warn{color:#9a6700}"
    ".muted{color:#59636e}svg.spark{vertical-align:middle}footer{margin-top:2em;color:#59636e}";

std::string E(std::string_view s) { return HtmlEscape(s); }
std::string N(std::uint64_t v) { return std::to_string(v); }

// One row of a two-column key/value table.
void Kv(std::string& h, std::string_view key, const std::string& value_html) {
  h += "<tr><th>";
  h += E(key);
  h += "</th><td>";
  h += value_html;
  h += "</td></tr>";
}

// ticks/s over the last five minutes: the five whole minutes before the
// current one plus what has passed of it (per_minute's newest entry), but
// not before the session started.
std::string Rate(const std::vector<std::uint32_t>& per_minute, TimeUs now, TimeUs session_start) {
  const std::size_t n = std::min<std::size_t>(6, per_minute.size());
  if (n == 0) return "–";
  std::uint64_t sum = 0;
  for (std::size_t i = per_minute.size() - n; i < per_minute.size(); ++i) sum += per_minute[i];
  TimeUs from = now - now % kUsPerMinute - static_cast<TimeUs>(n - 1) * kUsPerMinute;
  if (session_start > from) from = session_start;
  const double seconds = std::max(1.0, static_cast<double>(now - from) / kUsPerSecond);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f/s", static_cast<double>(sum) / seconds);
  return buf;
}

void CountTable(std::string& h, const std::map<std::string, std::uint64_t>& counts, const char* none) {
  if (counts.empty()) {
    h += "<p class=\"muted\">";
    h += none;
    h += "</p>";
    return;
  }
  h += "<table><tr><th>reason</th><th>count</th></tr>";
  for (const auto& [reason, n] : counts) h += "<tr><td>" + E(reason) + "</td><td class=\"n\">" + N(n) + "</td></tr>";
  h += "</table>";
}

void Streams(std::string& h, const daemon::RecorderStatus& s, TimeUs now) {
  h += "<h2>Streams</h2>";
  if (s.streams.empty()) {
    h += "<p class=\"muted\">no streams yet</p>";
    return;
  }
  std::map<std::uint32_t, const daemon::ContractStatus*> contracts;
  for (const auto& c : s.contracts) contracts[c.contract_id] = &c;
  h += "<table><tr><th>contract</th><th>symbol</th><th>tick type</th><th>upstream</th><th>rate (5 min)</th>"
       "<th>last 30 min</th><th>last tick</th><th>age</th><th>ticks this session</th></tr>";
  for (const auto& st : s.streams) {
    auto it = contracts.find(st.contract_id);
    std::string up = "<span class=\"muted\">–</span>";
    if (it != contracts.end()) {
      up = it->second->connected ? "<span class=\"ok\">connected</span>" : "<span class=\"bad\">disconnected</span>";
    }
    h += "<tr><td>" + N(st.contract_id) + "</td><td>" + E(st.symbol) + "</td><td>" + E(TickTypeName(st.tick_type)) +
         "</td><td>" + up + "</td><td class=\"n\">" + Rate(st.per_minute, s.now != 0 ? s.now : now, s.session_start) + "</td><td>" +
         SparklineSvg(st.per_minute) + "</td><td>" +
         (st.last_tick_time ? E(FormatIsoTimestamp(*st.last_tick_time)) : "<span class=\"muted\">none</span>") +
         "</td><td class=\"n\">" + (st.last_tick_wall ? E(HumanAge(now - *st.last_tick_wall)) : "–") +
         "</td><td class=\"n\">" + N(st.ticks) + "</td></tr>";
  }
  h += "</table>";
}

void Upstream(std::string& h, const daemon::RecorderStatus& s) {
  h += "<h2>Upstream</h2><table>";
  Kv(h, "source", E(s.source) + (s.upstream_url.empty() ? "" : " <span class=\"muted\">" + E(s.upstream_url) + "</span>"));
  Kv(h, "outages (session)", N(s.outages_total));
  Kv(h, "reconnects (session)", N(s.reconnects_total));
  h += "</table>";
  if (s.contracts.empty()) return;
  h += "<table><tr><th>contract</th><th>symbol</th><th>tracked</th><th>tick types</th><th>buffer</th><th>state</th>"
       "<th>outages</th><th>reconnects</th><th>failed attempts</th><th>last disconnect</th></tr>";
  for (const auto& c : s.contracts) {
    std::string types;
    for (TickType t : c.tick_types) types += (types.empty() ? "" : ", ") + std::string(TickTypeName(t));
    h += "<tr><td>" + N(c.contract_id) + "</td><td>" + E(c.symbol) + "</td><td>" + (c.tracked ? "yes" : "no") +
         "</td><td>" + E(types) + "</td><td class=\"n\">" + std::to_string(c.buffer_hours) + " h</td><td>" +
         (c.connected ? "<span class=\"ok\">connected</span>" : "<span class=\"bad\">disconnected</span>") +
         "</td><td class=\"n\">" + N(c.outages) + "</td><td class=\"n\">" + N(c.reconnects) +
         "</td><td class=\"n\">" + N(c.reconnect_attempts) + " / " + N(c.reconnect_attempts_total) + "</td><td>" +
         (c.last_disconnect.empty() ? std::string("<span class=\"muted\">none</span>")
                                    : E(c.last_disconnect) + (c.last_disconnect_at ? " <span class=\"muted\">(" +
                                                                                         E(FormatIsoTimestamp(*c.last_disconnect_at)) + ")</span>"
                                                                                   : "")) +
         "</td></tr>";
  }
  h += "</table>";
}

// The upstream at a glance, under the health line (sse source): how many streams are up, the
// newest disconnect and its reason, failed reconnect attempts.
void UpstreamSummary(std::string& h, const daemon::RecorderStatus& s, TimeUs now) {
  if (s.mode == "passthrough") {
    h += "<p>passthrough from " + E(s.upstream_url) + ": " + N(s.relays_open) + " upstream connections (" +
         N(s.relays_connected) + " connected), " + N(s.live_subscribers) + " clients, " + N(s.ticks_relayed) +
         " ticks relayed; nothing is recorded</p>";
    return;
  }
  if (s.source != "sse" || s.read_only) return;
  std::size_t up = 0, tracked = 0;
  std::uint64_t attempts = 0;
  const daemon::ContractStatus* newest = nullptr;
  for (const auto& c : s.contracts) {
    if (!c.tracked) continue;
    ++tracked;
    up += c.connected ? 1 : 0;
    attempts += c.reconnect_attempts_total;
    if (c.last_disconnect_at && (newest == nullptr || *c.last_disconnect_at > *newest->last_disconnect_at)) newest = &c;
  }
  const bool all = up == tracked && tracked > 0;
  h += "<p class=\"" + std::string(all ? "ok" : "bad") + "\">upstream " + E(s.upstream_url) + ": " + N(up) + " of " +
       N(tracked) + " streams connected";
  if (newest != nullptr) {
    h += " · last disconnect " + E(HumanAge(now - *newest->last_disconnect_at)) + " ago (" +
         N(newest->contract_id) + (newest->symbol.empty() ? "" : " " + E(newest->symbol)) +
         "): " + E(newest->last_disconnect);
  }
  h += " · " + N(attempts) + " failed reconnect attempts this session</p>";
}

void Storage(std::string& h, const daemon::RecorderStatus& s, const daemon::RecorderConfig& config) {
  h += "<h2>Storage</h2><table>";
  Kv(h, "path", E(s.storage_path));
  Kv(h, "files / bytes today (UTC)", N(s.files_today) + " / " + E(HumanBytes(s.bytes_today)));
  Kv(h, "files / bytes in all", N(s.files_total) + " / " + E(HumanBytes(s.bytes_total)));
  Kv(h, "open files", N(s.open_files));
  Kv(h, "sealed files", N(s.sealed_files));
  if (s.retention_enabled) {
    Kv(h, std::string("retention (hourly): ") + (s.retention_archives ? "archived" : "deleted") + " this session",
       N(s.retention_files) + " files / " + E(HumanBytes(s.retention_bytes)) +
           (s.retention_errors ? ", " + N(s.retention_errors) + " failed (see the log)" : ""));
  }
  if (s.last_seal_seconds) {
    char seal[64];
    std::snprintf(seal, sizeof seal, "%.3f s (%llu sealed this session)", *s.last_seal_seconds,
                  static_cast<unsigned long long>(s.seals));
    Kv(h, "last seal took", seal);
  } else {
    Kv(h, "last seal took", "<span class=\"muted\">none yet</span>");
  }
  Kv(h, "written this session", N(s.ticks_stored) + " ticks, " + E(HumanBytes(s.bytes_written)));
  Kv(h, "writer queue", N(s.queue_depth) + " / " + N(s.queue_capacity));
  Kv(h, "live subscribers", N(s.live_subscribers));
  std::string disk = E(HumanBytes(s.disk_free_bytes)) + " free (floor " + E(HumanBytes(config.min_free_bytes)) + ")";
  if (s.disk_full) disk += " <span class=\"bad\">DISK FULL: new ticks are dropped</span>";
  Kv(h, "disk", disk);
  Kv(h, "storage writable", s.storage_writable ? "<span class=\"ok\">yes</span>" : "<span class=\"bad\">no</span>");
  Kv(h, "catalog", s.catalog_ok ? "<span class=\"ok\">ok</span>" : "<span class=\"bad\">failing</span>");
  if (!s.last_error.empty()) Kv(h, "last error", "<span class=\"bad\">" + E(s.last_error) + "</span>");
  h += "</table>";
}

void Sync(std::string& h, const std::optional<SyncLag>& sync, TimeUs now) {
  h += "<h2>Sync (ib-sync)</h2>";
  if (!sync) {
    h += "<p class=\"muted\">sync agent not running (no sync-state.json)</p>";
    return;
  }
  h += "<table>";
  Kv(h, "state", "<span class=\"" + std::string(sync->agent_up ? "ok" : "bad") + "\">" + E(sync->state) +
                     (sync->agent_up ? "" : " (not syncing)") + "</span>");
  Kv(h, "rows behind", (sync->rows_behind ? std::to_string(*sync->rows_behind) : "–") +
                           (sync->lag_from_catalog ? " <span class=\"muted\">(counted in the catalog)</span>" : ""));
  if (sync->seconds_behind) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", *sync->seconds_behind);
    Kv(h, "seconds behind", buf);
  }
  Kv(h, "last success", sync->last_success ? E(FormatIsoTimestamp(*sync->last_success)) + " (" +
                                                  E(HumanAge(now - *sync->last_success)) + " ago)"
                                            : "never");
  if (sync->updated_at) Kv(h, "state written", E(HumanAge(now - *sync->updated_at)) + " ago");
  if (!sync->last_error.empty()) Kv(h, "last error", "<span class=\"bad\">" + E(sync->last_error) + "</span>");
  h += "</table>";
}

}  // namespace

std::string RenderStatusPage(const daemon::RecorderStatus& s, const daemon::RecorderConfig& config,
                             const std::optional<SyncLag>& sync, TimeUs now) {
  const HealthReport health = BuildHealth(s, config, now);
  std::string h;
  h.reserve(16 * 1024);
  h += "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"5\">"
       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>ib-recorder – ";
  h += E(s.instance_name);
  h += "</title><style>";
  h += kStyle;
  h += "</style></head><body><h1>ib-recorder <small>";
  h += E(s.instance_name) + " · " + E(s.environment);
  h += "</small></h1>";
  if (health.status == "ok") {
    h += "<p class=\"ok\">healthy</p>";
  } else {
    h += "<p class=\"bad\">" + E(health.status) + ": ";
    for (const auto& p : health.body["problems"]) h += E(p.get<std::string>()) + "; ";
    h += "</p>";
  }
  UpstreamSummary(h, s, now);
  for (const auto& w : health.body["warnings"]) h += "<p class=\"warn\">" + E(w.get<std::string>()) + "</p>";

  h += "<table>";
  Kv(h, "instance", E(s.instance_name));
  Kv(h, "environment", E(s.environment));
  Kv(h, "version", E(s.version));
  Kv(h, "host", E(s.host) + ":" + std::to_string(s.port));
  Kv(h, "session", "#" + std::to_string(s.session_id) + " since " + E(FormatIsoTimestamp(s.session_start)));
  Kv(h, "uptime", E(HumanAge(static_cast<TimeUs>(s.uptime_seconds) * kUsPerSecond)));
  Kv(h, "mode", s.read_only ? "<span class=\"warn\">" + E(s.mode) + "</span>" : E(s.mode));
  h += "</table>";

  Streams(h, s, now);
  Upstream(h, s);
  Storage(h, s, config);
  h += "<h2>Rejects</h2>";
  CountTable(h, s.rejects_by_reason, "no rejects this session");
  h += "<h2>Dropped</h2>";
  CountTable(h, s.dropped_by_reason, "nothing dropped this session");
  Sync(h, sync, now);
  h += "<footer>generated " + E(FormatIsoTimestamp(now)) + " · refreshes every 5 s</footer></body></html>\n";
  return h;
}

void HandleStatusPage(const ApiContext& ctx, const httplib::Request&, httplib::Response& res) {
  res.status = 200;
  const TimeUs now = ctx.clock.Now();
  auto cat = OpenReadCatalog(ctx.root(), ctx.clock);
  catalog::Catalog* catalog = cat.ok() ? cat->get() : nullptr;
  res.set_content(RenderStatusPage(ctx.service.Status(), ctx.config(), ReadSyncLag(ctx.fs, ctx.root(), catalog, now), now),
                  "text/html; charset=utf-8");
}

}  // namespace ibr::http
