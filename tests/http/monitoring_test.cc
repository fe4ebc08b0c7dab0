// Monitoring routes: the status page (inline SVG, escaped, no external
// assets, sync lag), /health (checks, 503 causes, stale warnings), /metrics
// (Prometheus text), /background/status and /storage/status (UPSTREAM.md
// shapes over the real storage root), unknown paths.
#include <fstream>
#include <regex>
#include <set>

#include "catalog/catalog.h"
#include "format/file_header.h"
#include "http/metrics.h"
#include "http/status_page.h"
#include "http/sync_lag.h"
#include "http_test_support.h"

namespace ibr::http::testing {
namespace {

class MonitoringTest : public HttpServerTest {
 protected:
  daemon::RecorderStatus Snapshot() {
    daemon::RecorderStatus s;
    s.instance_name = "http-test";
    s.environment = "development";
    s.version = "0.1.0";
    s.host = "box";
    s.port = 8102;
    s.storage_path = store_.root();
    s.source = "sse";
    s.upstream_url = "http://127.0.0.1:8101";
    s.session_id = 7;
    s.session_start = clock_.Now() - 3600 * kUsPerSecond;
    s.now = clock_.Now();
    s.uptime_seconds = 3600;
    daemon::ContractStatus c;
    c.contract_id = kAapl;
    c.symbol = "AAPL";
    c.tracked = true;
    c.tick_types = {TickType::kBidAsk, TickType::kLast};
    c.buffer_hours = 2;
    c.connected = true;
    c.reconnects = 3;
    c.outages = 2;
    s.contracts.push_back(c);
    daemon::StreamStatus fresh;
    fresh.contract_id = kAapl;
    fresh.symbol = "<b>AAPL&Co</b>";
    fresh.tick_type = TickType::kBidAsk;
    fresh.ticks = 1234;
    fresh.last_tick_time = clock_.Now() - 2 * kUsPerSecond;
    fresh.last_tick_wall = clock_.Now() - 2 * kUsPerSecond;
    fresh.per_minute = {10, 20, 30, 25, 60, 5};
    s.streams.push_back(fresh);
    daemon::StreamStatus stale = fresh;
    stale.tick_type = TickType::kLast;
    stale.symbol = "AAPL";
    stale.ticks = 50;
    stale.last_tick_wall = clock_.Now() - 600 * kUsPerSecond;
    stale.last_tick_time = stale.last_tick_wall;
    s.streams.push_back(stale);
    s.ticks_stored = 1284;
    s.rejects = 4;
    s.rejects_by_reason = {{"bad_json", 3}, {"missing_field", 1}};
    s.ticks_dropped = 9;
    s.dropped_by_reason = {{"queue_full", 9}};
    s.bytes_written = 55555;
    s.open_files = 2;
    s.sealed_files = 5;
    s.files_today = 7;
    s.bytes_today = 777777;
    s.files_total = 40;
    s.bytes_total = 4444444;
    s.last_seal_seconds = 0.125;
    s.queue_depth = 12;
    s.queue_capacity = 65536;
    s.live_subscribers = 1;
    s.outages_total = 2;
    s.reconnects_total = 3;
    s.disk_free_bytes = 50ull << 30;
    return s;
  }
  void WriteSyncState(const std::string& json) {
    std::ofstream(storage::SyncStatePath(store_.root())) << json;
  }
  // The root's catalog as ib-sync sees it: generation and newest change number.
  std::pair<std::string, std::int64_t> CatalogHead() {
    auto cat = catalog::Catalog::Open(storage::CatalogPath(store_.root()), catalog::Catalog::Mode::kReadOnly, clock_);
    EXPECT_TRUE(cat.ok()) << cat.status().ToString();
    if (!cat.ok()) return {"", 0};
    auto max = (*cat)->MaxChangeNo();
    EXPECT_TRUE(max.ok());
    return {(*cat)->generation_id(), max.ok() ? *max : 0};
  }
  // A state file as ib-sync writes it after a pass that reached `position`, written `age` ago.
  void WriteAgentState(const std::string& state, std::int64_t position, TimeUs age, const std::string& extra = "") {
    WriteSyncState(R"({"state":")" + state + R"(","generation":")" + CatalogHead().first +
                   R"(","position":)" + std::to_string(position) + R"(,"rows_behind":0,"seconds_behind":0,)" +
                   R"("last_success":")" + FormatIsoTimestamp(clock_.Now() - age) + R"(","poll_interval_ms":1000,)" +
                   R"("next_pass_in_ms":1000,"updated_at":")" + FormatIsoTimestamp(clock_.Now() - age) + "\"" +
                   extra + "}");
  }
  static std::optional<double> Sample(const std::string& metrics, const std::string& name) {
    const std::size_t at = metrics.find("\n" + name + " ");
    if (at == std::string::npos) return std::nullopt;
    return std::stod(metrics.substr(at + name.size() + 2));
  }
};

TEST_F(MonitoringTest, StatusPageShowsEverythingEscapedWithInlineSvgAndNoExternalAssets) {
  StartServer();
  service_->SetStatus(Snapshot());
  auto res = Client()->Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->get_header_value("Content-Type").find("text/html"), std::string::npos);
  const std::string& h = res->body;
  EXPECT_NE(h.find("<meta http-equiv=\"refresh\" content=\"5\">"), std::string::npos);
  EXPECT_NE(h.find("<svg"), std::string::npos);
  EXPECT_NE(h.find("<polyline"), std::string::npos);
  // No external assets: nothing is loaded from anywhere (no src, href, url(),
  // @import, no SVG namespace URL); URLs appear only as escaped text.
  for (const char* asset : {"src=", "href=", "url(", "@import", "<link", "<script", "xmlns"}) {
    EXPECT_EQ(h.find(asset), std::string::npos) << asset;
  }
  const std::size_t svg = h.find("<svg"), svg_end = h.find("</svg>");
  ASSERT_NE(svg_end, std::string::npos);
  EXPECT_EQ(h.substr(svg, svg_end - svg).find("http"), std::string::npos);
  EXPECT_NE(h.find("http://127.0.0.1:8101"), std::string::npos) << "the upstream, shown as text";
  EXPECT_EQ(h.find("<b>AAPL"), std::string::npos) << "symbol must be escaped";
  EXPECT_NE(h.find("&lt;b&gt;AAPL&amp;Co&lt;/b&gt;"), std::string::npos);
  for (const char* want : {"http-test", "development", "#7", "2025-03-10T14:00:00.000000Z", "1 h 0 min",
                           "bad_json", "missing_field", "queue_full", "sync agent not running", "265598",
                           "bid_ask", "0.125 s", "50.0 GiB", "1234"}) {
    EXPECT_NE(h.find(want), std::string::npos) << want;
  }
  // 5-minute rate of the fresh stream: (20+30+25+60+5)/300 s.
  EXPECT_NE(h.find("0.5/s"), std::string::npos);
  // The stale stream is warned about.
  EXPECT_NE(h.find("no tick for 600 s"), std::string::npos);
}

TEST_F(MonitoringTest, RateCountsOnlyTimeSinceTheSessionStartedIncludingThePartialMinute) {
  auto s = Snapshot();
  s.now = T("2025-03-10T15:00:30Z");
  s.session_start = T("2025-03-10T14:59:00Z");
  s.streams.resize(1);
  s.streams[0].per_minute = std::vector<std::uint32_t>(28, 0);
  s.streams[0].per_minute.push_back(60);  // 14:59
  s.streams[0].per_minute.push_back(30);  // 15:00, half over
  const std::string h = RenderStatusPage(s, DefaultConfig(store_.root()), std::nullopt, s.now);
  EXPECT_NE(h.find(">1.0/s<"), std::string::npos);  // 90 ticks in the 90 s since the start
}

TEST_F(MonitoringTest, StatusPageShowsSyncLagWhenTheAgentWritesItsState) {
  StartServer();
  service_->SetStatus(Snapshot());
  const std::int64_t head = CatalogHead().second;
  WriteAgentState("syncing", head, kUsPerSecond, R"(,"last_error":"<oops>")");
  auto res = Client()->Get("/");
  ASSERT_TRUE(res);
  const std::string& h = res->body;
  EXPECT_EQ(h.find("sync agent not running"), std::string::npos);
  EXPECT_NE(h.find(">syncing<"), std::string::npos) << h;
  EXPECT_NE(h.find("<th>rows behind</th><td>0 "), std::string::npos) << h;
  EXPECT_NE(h.find("&lt;oops&gt;"), std::string::npos);
}

// ib-sync died (kill -9): its state file still says caught_up with 0 rows behind. The
// recorder counts the lag in the catalog from the agent's last position and calls the agent
// down once the file is older than its promised next write.
TEST_F(MonitoringTest, ADeadSyncAgentIsDownAndItsLagIsCountedInTheCatalog) {
  StartServer();
  service_->SetStatus(Snapshot());
  const std::int64_t synced = CatalogHead().second;
  // The recorder goes on writing after the agent's last pass.
  store_.Add({Quote(kAapl, T("2025-03-10T14:50:00Z"), 1), Trade(kAapl, T("2025-03-10T14:51:00Z"), 2)});
  const std::int64_t head = CatalogHead().second;
  ASSERT_GT(head, synced);
  clock_.Advance(10 * 60 * kUsPerSecond);
  WriteAgentState("caught_up", synced, 10 * 60 * kUsPerSecond);  // its last word, 10 minutes ago

  auto res = Client()->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(Sample(res->body, "ib_sync_up"), 0.0) << res->body;
  auto behind = Sample(res->body, "ib_sync_rows_behind");
  ASSERT_TRUE(behind.has_value()) << res->body;
  EXPECT_GT(*behind, 0.0);
  EXPECT_LE(*behind, static_cast<double>(head - synced));
  EXPECT_GE(Sample(res->body, "ib_sync_state_age_seconds").value_or(0), 600.0);
  EXPECT_GE(Sample(res->body, "ib_sync_seconds_behind").value_or(0), 600.0);
  auto page = Client()->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->body.find("caught_up"), std::string::npos) << page->body;
  EXPECT_NE(page->body.find(">down (not syncing)<"), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("is it running?"), std::string::npos) << page->body;

  // Alive and current again: up, nothing behind.
  WriteAgentState("caught_up", head, kUsPerSecond);
  res = Client()->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(Sample(res->body, "ib_sync_up"), 1.0) << res->body;
  EXPECT_EQ(Sample(res->body, "ib_sync_rows_behind"), 0.0) << res->body;
  // A fresh file whose position lags: the catalog says how far, whatever the file claims.
  WriteAgentState("caught_up", synced, kUsPerSecond);
  res = Client()->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(Sample(res->body, "ib_sync_up"), 1.0);
  EXPECT_EQ(Sample(res->body, "ib_sync_rows_behind"), behind) << res->body;
  // A stopped agent is not up either.
  WriteAgentState("stopped", head, kUsPerSecond);
  res = Client()->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(Sample(res->body, "ib_sync_up"), 0.0);
}

TEST_F(MonitoringTest, SyncStateStaleRuleFollowsTheAgentsAnnouncedWait) {
  EXPECT_EQ(SyncStateStaleAfter(std::nullopt, std::nullopt), 16 * kUsPerSecond);  // 1 s default: 1 s + 15 s
  EXPECT_EQ(SyncStateStaleAfter(kUsPerSecond, std::nullopt), 16 * kUsPerSecond);
  EXPECT_EQ(SyncStateStaleAfter(kUsPerSecond, 30 * kUsPerSecond), 90 * kUsPerSecond);  // in backoff: 3 x 30 s
  EXPECT_EQ(SyncStateStaleAfter(2 * 60 * kUsPerSecond, std::nullopt), 6 * 60 * kUsPerSecond);
}

TEST_F(MonitoringTest, HealthIsOkWithStaleStreamsAsWarnings) {
  StartServer();
  service_->SetStatus(Snapshot());
  auto j = GetJson("/health", 200);
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["checks"]["storage_writable"], true);
  EXPECT_EQ(j["checks"]["catalog_ok"], true);
  EXPECT_EQ(j["checks"]["disk_full"], false);
  // What `migrate prepare --target-url` compares: the storage versions this binary writes and reads.
  EXPECT_EQ(j["storage"]["file_format_version"], format::kFormatVersion);
  EXPECT_EQ(j["storage"]["catalog_schema_version"], catalog::kSchemaVersion);
  // AAPL last is stale (600 s > 300 s); AAPL bid_ask is fresh; MNQ never had a tick in an hour-old session.
  std::string warnings = j["warnings"].dump();
  EXPECT_EQ(j["warnings"].size(), 3u) << warnings;
  EXPECT_NE(warnings.find("265598 (AAPL) last: no tick for 600 s"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("711280073 (MNQ) bid_ask: no tick since the session started"), std::string::npos);
  EXPECT_EQ(warnings.find("265598 (AAPL) bid_ask"), std::string::npos);
}

TEST_F(MonitoringTest, HealthIs503WhenStorageCatalogOrDiskFail) {
  StartServer();
  struct Case {
    const char* name;
    std::function<void(daemon::RecorderStatus&)> breaks;
    const char* says;
  };
  const std::vector<Case> cases = {
      {"disk full", [](daemon::RecorderStatus& s) { s.disk_full = true; }, "disk full"},
      {"not writable", [](daemon::RecorderStatus& s) { s.storage_writable = false; }, "not writable"},
      {"catalog", [](daemon::RecorderStatus& s) { s.catalog_ok = false; }, "catalog"},
  };
  for (const auto& c : cases) {
    auto s = Snapshot();
    c.breaks(s);
    service_->SetStatus(s);
    auto j = GetJson("/health", 503);
    EXPECT_EQ(j["status"], "unhealthy") << c.name;
    EXPECT_NE(j["problems"].dump().find(c.says), std::string::npos) << c.name << ": " << j.dump();
  }
}

TEST_F(MonitoringTest, MetricsArePrometheusTextWithHelpAndType) {
  StartServer();
  service_->SetStatus(Snapshot());
  WriteAgentState("caught_up", CatalogHead().second, kUsPerSecond);
  auto res = Client()->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->get_header_value("Content-Type").find("text/plain"), std::string::npos);
  const std::string& m = res->body;
  for (const char* want : {"ib_recorder_ticks_stored_total{contract_id=\"265598\",tick_type=\"bid_ask\"} 1234\n",
                           "ib_recorder_rejects_total{reason=\"bad_json\"} 3\n",
                           "ib_recorder_dropped_total{reason=\"queue_full\"} 9\n",
                           "ib_recorder_bytes_written_total 55555\n", "ib_recorder_files{state=\"open\"} 2\n",
                           "ib_recorder_files{state=\"sealed\"} 5\n", "ib_recorder_seal_seconds 0.125\n",
                           "ib_recorder_queue_depth 12\n", "ib_recorder_outages_total 2\n",
                           "ib_recorder_reconnects_total 3\n", "ib_recorder_disk_free_bytes 53687091200\n",
                           "ib_recorder_up 1\n", "ib_recorder_live_subscribers 1\n", "ib_sync_rows_behind 0\n",
                           "ib_sync_seconds_behind 0\n", "ib_sync_up 1\n", "# TYPE ib_recorder_ticks_stored_total counter\n",
                           "# TYPE ib_recorder_queue_depth gauge\n"}) {
    EXPECT_NE(m.find(want), std::string::npos) << want;
  }
  // Every sample belongs to a family announced with HELP and TYPE, named ib_recorder_* or ib_sync_*.
  std::set<std::string> helped, typed;
  std::istringstream lines(m);
  std::string line;
  const std::regex sample(R"(^([a-z_]+)(\{[^}]*\})? (-?[0-9.e+-]+|NaN)$)");
  while (std::getline(lines, line)) {
    if (line.rfind("# HELP ", 0) == 0) {
      helped.insert(line.substr(7, line.find(' ', 7) - 7));
    } else if (line.rfind("# TYPE ", 0) == 0) {
      typed.insert(line.substr(7, line.find(' ', 7) - 7));
    } else {
      std::smatch sm;
      ASSERT_TRUE(std::regex_match(line, sm, sample)) << line;
      const std::string name = sm[1];
      EXPECT_TRUE(name.rfind("ib_recorder_", 0) == 0 || name.rfind("ib_sync_", 0) == 0) << name;
      EXPECT_TRUE(helped.count(name) && typed.count(name)) << name;
    }
  }
}

TEST_F(MonitoringTest, MetricsWithoutTheSyncAgentHaveNoSyncLag) {
  StartServer();
  service_->SetStatus(Snapshot());
  auto res = Client()->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body.find("ib_sync_"), std::string::npos);
}

TEST_F(MonitoringTest, BackgroundStatusHasTheUpstreamShape) {
  StartServer();
  service_->SetStatus(Snapshot());
  auto j = GetJson("/background/status");
  EXPECT_EQ(j["enabled"], true);
  EXPECT_TRUE(j["timestamp"].is_string());
  auto st = j["status"];
  EXPECT_EQ(st["running"], true);
  EXPECT_EQ(st["tws_connected"], true);
  EXPECT_EQ(st["total_contracts"], 2);
  EXPECT_EQ(st["active_contracts"], 1);
  EXPECT_EQ(st["total_streams"], 4);
  auto aapl = st["contracts"]["265598"];
  EXPECT_EQ(aapl["symbol"], "AAPL");
  EXPECT_EQ(aapl["enabled"], true);
  EXPECT_EQ(aapl["expected_tick_types"], nlohmann::json({"bid_ask", "last"}));
  EXPECT_EQ(aapl["active_tick_types"], nlohmann::json({"bid_ask", "last"}));
  EXPECT_EQ(aapl["stream_count"], 2);
  EXPECT_EQ(aapl["buffer_hours"], 2);
  EXPECT_EQ(st["contracts"]["711280073"]["active_tick_types"], nlohmann::json::array());
  EXPECT_TRUE(j["config"].is_object());
  EXPECT_FALSE(j["config"].contains("api_key"));
}

TEST_F(MonitoringTest, StorageStatusHasTheUpstreamShapeFilledFromTheFiles) {
  store_.Add({Quote(kAapl, T("2025-03-10T14:10:00Z"), 1), Quote(kAapl, T("2025-03-10T14:20:00Z"), 2),
              Trade(kAapl, T("2025-03-10T14:30:00Z"), 3)});
  StartServer();
  service_->SetStatus(Snapshot());
  auto j = GetJson("/storage/status");
  for (const char* key : {"enabled", "timestamp", "info", "metrics", "config"}) EXPECT_TRUE(j.contains(key)) << key;
  for (const char* key : {"timestamp", "uptime_seconds", "overall", "backends", "recent_errors", "health"}) {
    EXPECT_TRUE(j["metrics"].contains(key)) << key;
  }
  EXPECT_EQ(j["config"]["storage_path"], store_.root());
  EXPECT_EQ(j["metrics"]["overall"]["rejects_by_reason"]["bad_json"], 3);
  EXPECT_EQ(j["metrics"]["health"]["status"], "healthy");
  auto contracts = j["info"]["contracts"];
  ASSERT_EQ(contracts.size(), 2u) << contracts.dump();
  EXPECT_EQ(contracts[0]["contract_id"], kAapl);
  EXPECT_EQ(contracts[0]["tick_type"], "bid_ask");
  EXPECT_EQ(contracts[0]["messages"], 2);
  EXPECT_EQ(contracts[0]["first_tick"], "2025-03-10T14:10:00.000000Z");
  EXPECT_EQ(contracts[1]["tick_type"], "last");
  EXPECT_EQ(contracts[1]["messages"], 1);
}

TEST_F(MonitoringTest, UnknownPathIs404Json) {
  StartServer();
  auto j = GetJson("/v2/nothing/here", 404);
  EXPECT_NE(j["error"].get<std::string>().find("/v2/nothing/here"), std::string::npos);
}

}  // namespace
}  // namespace ibr::http::testing

namespace ibr::http::testing {
namespace {

class OperatorViewTest : public MonitoringTest {
 protected:
  // Every upstream stream of the sse source down, as after ib-stream went away.
  daemon::RecorderStatus AllDown() {
    auto s = Snapshot();
    daemon::ContractStatus mnq;
    mnq.contract_id = kMnq;
    mnq.symbol = "MNQ";
    mnq.tracked = true;
    mnq.tick_types = {TickType::kBidAsk};
    s.contracts.push_back(mnq);
    for (auto& c : s.contracts) {
      c.connected = false;
      c.last_disconnect = "connection refused (http://127.0.0.1:8101)";
      c.last_disconnect_at = clock_.Now() - 42 * kUsPerSecond;
      c.reconnect_attempts = 7;
      c.reconnect_attempts_total = 9;
    }
    return s;
  }
};

TEST_F(OperatorViewTest, HealthIsDegradedWhenEveryUpstreamStreamIsDown) {
  StartServer();
  service_->SetStatus(AllDown());
  auto j = GetJson("/health", 200);  // storing still works: not 503 (see README)
  EXPECT_EQ(j["status"], "degraded") << j.dump();
  EXPECT_NE(j["problems"].dump().find("every upstream stream is disconnected"), std::string::npos) << j.dump();
  EXPECT_EQ(j["checks"]["upstream_connected"], 0);
  EXPECT_EQ(j["checks"]["upstream_streams"], 2);
  const std::string w = j["warnings"].dump();
  EXPECT_NE(w.find("upstream 265598 (AAPL) disconnected 42 s ago: connection refused (http://127.0.0.1:8101); "
                   "7 reconnect attempts failed since"),
            std::string::npos)
      << w;
  // One stream back: ok again, the other still warned about.
  auto s = AllDown();
  s.contracts[0].connected = true;
  s.contracts[0].reconnect_attempts = 0;
  service_->SetStatus(s);
  j = GetJson("/health", 200);
  EXPECT_EQ(j["status"], "ok");
  EXPECT_NE(j["warnings"].dump().find("upstream 711280073 (MNQ) disconnected"), std::string::npos);
  EXPECT_EQ(j["warnings"].dump().find("upstream 265598 (AAPL) disconnected"), std::string::npos);
  // A disk problem as well: unhealthy (503) wins, the upstream is still named.
  s = AllDown();
  s.disk_full = true;
  service_->SetStatus(s);
  j = GetJson("/health", 503);
  EXPECT_EQ(j["status"], "unhealthy");
  EXPECT_NE(j["problems"].dump().find("every upstream stream is disconnected"), std::string::npos);
  // Other sources have no upstream to lose.
  s = AllDown();
  s.source = "http";
  service_->SetStatus(s);
  EXPECT_EQ(GetJson("/health", 200)["status"], "ok");
}

TEST_F(OperatorViewTest, StatusPageSaysDegradedAndShowsTheUpstreamStateAndLastDisconnect) {
  const std::string h = RenderStatusPage(AllDown(), DefaultConfig(store_.root()), std::nullopt, clock_.Now());
  EXPECT_EQ(h.find(">healthy<"), std::string::npos);
  EXPECT_NE(h.find("<p class=\"bad\">degraded: every upstream stream is disconnected"), std::string::npos);
  const std::size_t summary = h.find("upstream http://127.0.0.1:8101: 0 of 2 streams connected");
  ASSERT_NE(summary, std::string::npos) << h;
  EXPECT_LT(summary, h.find("<h2>Streams</h2>")) << "at the top of the page";
  EXPECT_NE(h.find("last disconnect 42 s ago (265598 AAPL): connection refused (http://127.0.0.1:8101)"),
            std::string::npos)
      << h;
  EXPECT_NE(h.find("18 failed reconnect attempts this session"), std::string::npos) << h;
  EXPECT_NE(h.find("<td class=\"n\">7 / 9</td>"), std::string::npos) << "per contract: since down / session";
}

TEST_F(OperatorViewTest, NoSealYetIsShownAsNoneYetAndNaNInMetrics) {
  auto s = Snapshot();
  s.last_seal_seconds.reset();
  s.seals = 0;
  s.sealed_files = 8;  // earlier sessions' seals, from the catalog
  const std::string h = RenderStatusPage(s, DefaultConfig(store_.root()), std::nullopt, clock_.Now());
  EXPECT_NE(h.find("<th>last seal took</th><td><span class=\"muted\">none yet</span>"), std::string::npos) << h;
  EXPECT_EQ(h.find("0.000 s"), std::string::npos);
  EXPECT_NE(h.find("<th>sealed files</th><td>8</td>"), std::string::npos);
  const std::string m = RenderMetrics(s, std::nullopt, 0, clock_.Now());
  EXPECT_NE(m.find("\nib_recorder_seal_seconds NaN\n"), std::string::npos) << m;
  EXPECT_NE(m.find("\nib_recorder_files{state=\"sealed\"} 8\n"), std::string::npos) << m;
  EXPECT_NE(m.find("\nib_recorder_seals_total 0\n"), std::string::npos) << m;
  StartServer();
  service_->SetStatus(s);
  auto j = GetJson("/storage/status");
  EXPECT_TRUE(j["metrics"]["overall"]["last_seal_seconds"].is_null()) << j.dump();
  EXPECT_EQ(j["info"]["files"]["sealed"], 8);
}

}  // namespace
}  // namespace ibr::http::testing
