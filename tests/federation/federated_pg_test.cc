// Federated query against a real PostgreSQL: three real storage roots
// (blue, green, collector2) written by the storage engine, synced by the real
// sync agent, read back through the central timeline — from the files on this
// host and over the real HTTP server (read-only service) — and compared with
// the known truth: every tick exactly once, the blue-green overlap not
// doubled, the cut-over at the end of blue's coverage, the crashed session's
// last durable tick kept, nothing read from gaps or outages.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "catalog/catalog.h"
#include "cli/query_command.h"
#include "common/file_system.h"
#include "common/time_text.h"
#include "daemon/read_only_service.h"
#include "fake_sleeper.h"
#include "federation/central_timeline.h"
#include "federation/federated_query.h"
#include "federation/instance_readers.h"
#include "http/http_server.h"
#include "pg_central_store.h"
#include "pg_test_db.h"
#include "storage/store.h"
#include "sync_agent.h"
#include "federation/federation_test_util.h"

namespace ibr::federation {
namespace {

using sync::testing::PgTestDb;

constexpr const char* kApiKey = "federation-test-key-1";

using test_util::kMnq;
using test_util::T;

// One instance's history: its session, outage and the ticks it recorded.
struct History {
  std::string name;
  TimeUs session_start = 0, session_end = 0;
  catalog::SessionStatus status = catalog::SessionStatus::kCompleted;
  std::optional<query::TimeRange> outage;
  std::vector<Tick> ticks;
};

// A quote every 10 s and a trade every 30 s over [from, to), none inside `outage`;
// stream_id names the instance, so the output says where each tick came from.
std::vector<Tick> Ticks(const std::string& instance, TimeUs from, TimeUs to,
                        std::optional<query::TimeRange> outage = std::nullopt) {
  std::vector<Tick> out;
  std::uint64_t n = 0;
  for (TimeUs t = from; t < to; t += 10 * kUsPerSecond, ++n) {
    if (outage && outage->Contains(t)) continue;
    Tick q;
    q.contract_id = kMnq;
    q.tick_type = TickType::kBidAsk;
    q.timestamp_us = t;
    q.stream_id = instance;
    q.bid_price = 20000.0 + static_cast<double>(n % 100);
    q.ask_price = *q.bid_price + 0.25;
    q.bid_size = 1;
    q.ask_size = 2;
    q.sequence = n;
    out.push_back(q);
    if (n % 3 == 0) {
      Tick tr = q;
      tr.tick_type = TickType::kLast;
      tr.timestamp_us = t + 5000;  // 5 ms after the quote
      tr.bid_price.reset();
      tr.ask_price.reset();
      tr.bid_size.reset();
      tr.ask_size.reset();
      tr.price = *q.bid_price;
      tr.size = 3;
      out.push_back(tr);
    }
  }
  return out;
}

// Writes the ticks through the storage engine (sealed hour files) and the session rows.
void WriteRoot(const std::string& root, const History& h, const Clock& clock) {
  storage::StoreOptions o;
  o.root = root;
  o.instance_name = h.name;
  auto store = storage::Store::Open(o, PosixFileSystem::Instance(), clock);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  for (const Tick& t : h.ticks) {
    Tick copy = t;
    ASSERT_TRUE((*store)->writer().Append(copy).ok());
  }
  ASSERT_TRUE((*store)->writer().Flush(false).ok());
  auto sealed = (*store)->SealHoursEndingBy(T("23:00:00"));
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  catalog::Catalog& cat = (*store)->catalog();
  catalog::SessionRow s;
  s.server_instance_id = (*store)->instance().id;
  s.session_start = h.session_start;
  s.session_end = h.session_end;
  s.status = h.status;
  // A recorder session subscribed upstream: it covers from its first tick to its end.
  s.config_snapshot = R"({"source":"sse","tracked_contracts":[{"contract_id":)" + std::to_string(kMnq) + "}]}";
  auto sid = cat.InsertSession(s);
  ASSERT_TRUE(sid.ok()) << sid.status().ToString();
  catalog::SessionContractRow sc;
  sc.collection_session_id = *sid;
  sc.contract_id = kMnq;
  sc.symbol = "MNQ";
  sc.tick_types = {TickType::kBidAsk, TickType::kLast};
  ASSERT_TRUE(cat.UpsertSessionContract(sc).ok());
  if (h.outage) {
    catalog::OutageRow out;
    out.collection_session_id = *sid;
    out.contract_id = kMnq;
    out.outage_start = h.outage->start;
    out.outage_end = h.outage->end;
    out.cause = "disconnect";
    ASSERT_TRUE(cat.InsertOutage(out).ok());
  }
}

// Sets where the central database will say the instance answers (host, HTTP port).
void SetAddress(const std::string& root, const std::string& host, int port, const Clock& clock) {
  auto cat = catalog::Catalog::Open(root + "/metadata/catalog.sqlite", catalog::Catalog::Mode::kReadWrite, clock);
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  auto inst = (*cat)->GetInstance();
  ASSERT_TRUE(inst.ok() && inst->has_value());
  catalog::InstanceRow row = **inst;
  row.host = host;
  row.port = port;
  ASSERT_TRUE((*cat)->UpsertInstance(row).ok());
}

// The recorder's real HTTP server over a root, read-only (as `ib-recorder run --read-only`).
struct Server {
  std::unique_ptr<daemon::ReadOnlyService> service;
  std::unique_ptr<http::HttpServer> server;
};

class PgCollect final : public query::TickSink {
 public:
  Status OnTick(const Tick& t, std::string_view) override {
    got.push_back(t);
    return Status::Ok();
  }
  std::vector<Tick> got;
};

// What a tick is, without the arrival sequence each instance assigns itself.
std::string Key(const Tick& t) {
  return FormatIsoTimestamp(t.timestamp_us) + " " + std::string(TickTypeName(t.tick_type)) + " " + t.stream_id +
         " " + std::to_string(t.sequence.value_or(0));
}

std::vector<std::string> Keys(const std::vector<Tick>& ticks) {
  std::vector<std::string> out;
  for (const auto& t : ticks) out.push_back(Key(t));
  return out;
}

std::string ReadAll(std::FILE* f) {
  std::string s;
  std::rewind(f);
  char buf[65536];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, n);
  return s;
}

class FederatedPg : public ::testing::Test {
 protected:
  void SetUp() override {
    auto owner = sync::testing::OwnerDsnOrSkip();
    if (!owner) return;
    db_ = PgTestDb::Create(*owner);
    std::string tmpl = (std::filesystem::temp_directory_path() / "ibr-federation-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());

    // blue 13:00-15:00 and green 14:50-18:00 (a blue-green handoff with ten minutes of
    // overlap, both recording), green's upstream outage 16:00-16:20, then collector2
    // 18:30 until its crash, its session ended at its last durable tick 19:45:12.5.
    blue_ = {"production-collector1-blue", T("13:00:00"), T("15:00:00")};
    blue_.ticks = Ticks("blue", T("13:00:00"), T("15:00:00"));
    green_ = {"production-collector1-green", T("14:50:00"), T("18:00:00")};
    green_.outage = query::TimeRange{T("16:00:00"), T("16:20:00")};
    green_.ticks = Ticks("green", T("14:50:00"), T("18:00:00"), green_.outage);
    c2_ = {"production-collector2", T("18:30:00"), T("19:45:12.5"), catalog::SessionStatus::kFailed};
    c2_.ticks = Ticks("c2", T("18:30:00"), T("19:45:12"));
    Tick last = c2_.ticks.front();
    last.timestamp_us = T("19:45:12.5");
    last.sequence = 99999;
    c2_.ticks.push_back(last);

    for (const History* h : {&blue_, &green_, &c2_}) {
      WriteRoot(Root(*h), *h, clock_);
      if (HasFatalFailure()) return;
    }
  }
  void TearDown() override {
    servers_.clear();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::string Root(const History& h) const { return dir_ + "/" + h.name; }

  // Starts the HTTP server on each root and records its address in the catalog.
  void ServeOverHttp() {
    for (const History* h : {&blue_, &green_, &c2_}) {
      daemon::RecorderConfig c;
      c.environment = "production";
      c.instance_name = h->name;
      c.storage_path = Root(*h);
      c.read_only = true;
      c.api_key = kApiKey;
      auto svc = daemon::ReadOnlyService::Open(c, PosixFileSystem::Instance(), clock_);
      ASSERT_TRUE(svc.ok()) << svc.status().ToString();
      Server s;
      s.service = std::move(svc).value();
      s.server = std::make_unique<http::HttpServer>(*s.service, clock_, http::HttpServerOptions{});
      ASSERT_TRUE(s.server->Start().ok());
      SetAddress(Root(*h), "127.0.0.1", s.server->port(), clock_);
      servers_[h->name] = std::move(s);
    }
  }

  void Sync() {
    sync::testing::FakeSleeper sleeper;
    for (const History* h : {&green_, &blue_, &c2_}) {
      sync::PgCentralStore store(db_->sync_dsn());
      sync::AgentOptions o;
      o.catalog_path = Root(*h) + "/metadata/catalog.sqlite";
      sync::SyncAgent agent(o, store, clock_, sleeper, PosixFileSystem::Instance(), nullptr);
      auto r = agent.SyncPending();
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    }
  }

  // The known truth over [from, to): blue until its coverage ends at 15:00, green from
  // then (never inside its outage), collector2 to and including its last durable tick.
  std::vector<Tick> Truth(TimeUs from, TimeUs to) const {
    std::vector<Tick> out;
    for (const Tick& t : blue_.ticks) if (t.timestamp_us < T("15:00:00")) out.push_back(t);
    for (const Tick& t : green_.ticks) if (t.timestamp_us >= T("15:00:00")) out.push_back(t);
    for (const Tick& t : c2_.ticks) out.push_back(t);
    std::erase_if(out, [&](const Tick& t) { return t.timestamp_us < from || t.timestamp_us >= to; });
    std::stable_sort(out.begin(), out.end(), [](const Tick& a, const Tick& b) { return a.timestamp_us < b.timestamp_us; });
    return out;
  }

  Result<FederatedStats> Federated(ReadVia via, query::TimeRange range, PgCollect& out) {
    auto timeline = CentralTimeline::Connect(db_->reporter_dsn());
    if (!timeline.ok()) return timeline.status();
    HttpReadOptions http;
    http.api_key = kApiKey;
    InstanceReaders readers(via, http, PosixFileSystem::Instance(), clock_);
    FederatedQuery fq(**timeline, readers);
    return fq.Run(query::TickQuery{kMnq, {TickType::kBidAsk, TickType::kLast}, {range}, std::nullopt}, out);
  }

  // `ib-recorder query --federated ...` in-process; returns the exit code, fills out/err.
  int Cli(const std::vector<std::pair<std::string, std::string>>& extra, std::string& out, std::string& err,
          const std::string& format = "ndjson") {
    cli::QueryOptions o;
    o.federated = true;
    o.dsn = db_->reporter_dsn();
    o.contract = std::to_string(kMnq);
    o.tick_types = "bid_ask,last";
    o.format = format;
    o.start = "2025-03-10T12:00:00Z";
    o.end = "2025-03-10T21:00:00Z";
    for (const auto& [k, v] : extra) {
      if (k == "read-via") o.read_via = v;
      if (k == "api-key") o.api_key = v;
      if (k == "limit") o.limit = v;
    }
    std::FILE* fo = std::tmpfile();
    std::FILE* fe = std::tmpfile();
    int code = cli::RunQuery(o, clock_, fo, fe);
    out = ReadAll(fo);
    err = ReadAll(fe);
    std::fclose(fo);
    std::fclose(fe);
    return code;
  }

  ManualClock clock_{T("20:00:00")};
  std::unique_ptr<PgTestDb> db_;
  std::string dir_;
  History blue_, green_, c2_;
  std::map<std::string, Server> servers_;
};

#define SKIP_WITHOUT_PG() \
  if (!db_) return

TEST_F(FederatedPg, FromLocalFilesEveryTickOnceCutOverAtBlueCoverageEnd) {
  SKIP_WITHOUT_PG();
  ASSERT_NO_FATAL_FAILURE(Sync());
  PgCollect out;
  auto st = Federated(ReadVia::kFiles, {T("12:00:00"), T("21:00:00")}, out);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  const auto truth = Truth(T("12:00:00"), T("21:00:00"));
  ASSERT_GT(truth.size(), 2000u);
  EXPECT_EQ(Keys(out.got), Keys(truth));
  EXPECT_TRUE(st->holes.empty());
  // the overlap 14:50-15:00 came from blue only: green's ticks there were not read
  std::map<std::string, std::size_t> by;
  for (const auto& t : out.got) ++by[t.stream_id];
  EXPECT_EQ(by["blue"], blue_.ticks.size());
  EXPECT_EQ(by["green"] + 80, green_.ticks.size());  // 60 quotes + 20 trades in the overlap
  EXPECT_EQ(by["c2"], c2_.ticks.size());           // the 19:45:12.5 tick included
  ASSERT_FALSE(out.got.empty());
  EXPECT_EQ(out.got.back().timestamp_us, T("19:45:12.5"));
  // which instance was read when, and from where
  ASSERT_GE(st->reads.size(), 4u);
  EXPECT_EQ(st->reads[0].instance, blue_.name);
  EXPECT_EQ(st->reads[0].via, "files at " + Root(blue_));
  EXPECT_EQ(st->reads[2].instance, green_.name);
  EXPECT_EQ(st->reads[2].range.start, T("15:00:00"));
  // gaps: before blue, the outage, between green and collector2, after the crash
  std::vector<query::TimeRange> gaps{{T("12:00:00"), T("13:00:00")},
                                     {T("16:00:00") + 1, T("16:20:00")},
                                     {T("18:00:00") + 1, T("18:30:00")},
                                     {T("19:45:12.5") + 1, T("21:00:00")}};
  EXPECT_EQ(st->gaps, gaps);
}

TEST_F(FederatedPg, OverHttpTheSameAnswerAsFromFiles) {
  SKIP_WITHOUT_PG();
  ASSERT_NO_FATAL_FAILURE(ServeOverHttp());
  ASSERT_NO_FATAL_FAILURE(Sync());
  PgCollect out;
  auto st = Federated(ReadVia::kHttp, {T("12:00:00"), T("21:00:00")}, out);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_TRUE(st->holes.empty()) << (st->holes.empty() ? "" : st->holes[0].why);
  EXPECT_EQ(Keys(out.got), Keys(Truth(T("12:00:00"), T("21:00:00"))));
  ASSERT_FALSE(st->reads.empty());
  EXPECT_EQ(st->reads[0].via.rfind("http://127.0.0.1:", 0), 0u) << st->reads[0].via;
  // a range that starts and ends inside the overlap and the outage
  PgCollect part;
  auto st2 = Federated(ReadVia::kHttp, {T("14:55:00"), T("16:10:00")}, part);
  ASSERT_TRUE(st2.ok()) << st2.status().ToString();
  EXPECT_EQ(Keys(part.got), Keys(Truth(T("14:55:00"), T("16:10:00"))));
}

TEST_F(FederatedPg, CliOutputIsTheSameFromFilesAndOverHttpInEveryFormat) {
  SKIP_WITHOUT_PG();
  ASSERT_NO_FATAL_FAILURE(ServeOverHttp());
  ASSERT_NO_FATAL_FAILURE(Sync());
  const std::size_t n = Truth(T("12:00:00"), T("21:00:00")).size();
  for (const std::string format : {"ndjson", "csv", "json", "protobuf"}) {
    std::string files_out, files_err, http_out, http_err;
    EXPECT_EQ(Cli({{"read-via", "files"}}, files_out, files_err, format), 0) << files_err;
    EXPECT_EQ(Cli({{"read-via", "http"}, {"api-key", kApiKey}}, http_out, http_err, format), 0) << http_err;
    EXPECT_EQ(files_out, http_out) << format;
    if (format == "ndjson") {
      EXPECT_EQ(static_cast<std::size_t>(std::count(files_out.begin(), files_out.end(), '\n')), n);
      EXPECT_NE(files_err.find("a collection gap"), std::string::npos) << files_err;
    }
  }
  // auto: the roots are on this host, so files
  std::string out, err;
  EXPECT_EQ(Cli({}, out, err), 0) << err;
  EXPECT_EQ(static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n')), n);
  // the limit
  EXPECT_EQ(Cli({{"limit", "10"}}, out, err), 0) << err;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 10);
}

TEST_F(FederatedPg, APortNowServingTheSuccessorIsAHoleReportedWithExit3) {
  SKIP_WITHOUT_PG();
  ASSERT_NO_FATAL_FAILURE(ServeOverHttp());
  // blue-green on one host:port: blue's address is where green now answers.
  SetAddress(Root(blue_), "127.0.0.1", servers_[green_.name].server->port(), clock_);
  servers_.erase(blue_.name);
  ASSERT_NO_FATAL_FAILURE(Sync());
  std::string out, err;
  EXPECT_EQ(Cli({{"read-via", "http"}, {"api-key", kApiKey}}, out, err), 3);
  EXPECT_NE(err.find("missing: contract 711280073 from 2025-03-10T13:00:00.000000Z to 2025-03-10T14:50:00.000000Z"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("now serves instance 'production-collector1-green', not 'production-collector1-blue'"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("output is incomplete"), std::string::npos) << err;
  // the rest is there: the overlap from green (its fallback: 80 ticks for blue's 80), then
  // green and collector2
  std::size_t expected = 0;
  for (const Tick& t : Truth(T("12:00:00"), T("21:00:00"))) expected += t.timestamp_us >= T("14:50:00");
  EXPECT_NE(out.find("\"stream_id\":\"green\",\"timestamp\":\"2025-03-10T14:50:00.000000Z\""), std::string::npos);
  EXPECT_EQ(static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n')), expected);

  // a wrong API key: every instance refuses, each piece is a hole that says so
  EXPECT_EQ(Cli({{"read-via", "http"}, {"api-key", "not-the-key-123"}}, out, err), 3);
  EXPECT_NE(err.find("refused the API key"), std::string::npos) << err;
  EXPECT_TRUE(out.empty());
}

TEST_F(FederatedPg, ReadsTheReporterRoleMayDoAndNeverOpensARootForWriting) {
  SKIP_WITHOUT_PG();
  ASSERT_NO_FATAL_FAILURE(Sync());
  // A writer holds blue's root (its lock) while the federated query reads it.
  storage::StoreOptions o;
  o.root = Root(blue_);
  o.instance_name = blue_.name;
  auto writer = storage::Store::Open(o, PosixFileSystem::Instance(), clock_);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  PgCollect out;
  auto st = Federated(ReadVia::kAuto, {T("13:00:00"), T("14:00:00")}, out);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(Keys(out.got), Keys(Truth(T("13:00:00"), T("14:00:00"))));
}

// Late and backfilled ticks are normal: collector3's session began at 20:10, but ticks of
// 20:09 were POSTed to it and stored. They are found in its files (tick_files spans), not
// dropped with exit 0 and a false "collection gap" note; the minute's true gaps remain.
TEST_F(FederatedPg, TicksStoredOutsideTheirSessionsSpanAreFoundInTheFiles) {
  SKIP_WITHOUT_PG();
  ASSERT_NO_FATAL_FAILURE(Sync());
  History c3{"production-collector3", T("20:10:00"), T("20:30:00")};
  const std::vector<Tick> late = Ticks("c3", T("20:09:00"), T("20:10:00"));
  c3.ticks = late;
  for (const Tick& t : Ticks("c3", T("20:10:00"), T("20:30:00"))) c3.ticks.push_back(t);
  ASSERT_NO_FATAL_FAILURE(WriteRoot(Root(c3), c3, clock_));
  {
    sync::testing::FakeSleeper sleeper;
    sync::PgCentralStore store(db_->sync_dsn());
    sync::AgentOptions o;
    o.catalog_path = Root(c3) + "/metadata/catalog.sqlite";
    sync::SyncAgent agent(o, store, clock_, sleeper, PosixFileSystem::Instance(), nullptr);
    auto r = agent.SyncPending();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  std::vector<Tick> truth = Truth(T("12:00:00"), T("21:00:00"));
  for (const Tick& t : c3.ticks) truth.push_back(t);
  std::stable_sort(truth.begin(), truth.end(),
                   [](const Tick& a, const Tick& b) { return a.timestamp_us < b.timestamp_us; });

  PgCollect out;
  auto st = Federated(ReadVia::kFiles, {T("12:00:00"), T("21:00:00")}, out);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_TRUE(st->holes.empty());
  EXPECT_EQ(Keys(out.got), Keys(truth));
  std::size_t got_late = 0;
  for (const Tick& t : out.got) got_late += t.stream_id == "c3" && t.timestamp_us < T("20:10:00");
  EXPECT_EQ(got_late, late.size());
  // The gap before them now ends at the first stored tick (20:09:00), where it ran to the
  // session's start before; the stored ticks run on into the session (one hour file holds
  // both), so no gap is claimed between them.
  std::vector<query::TimeRange> gaps{{T("12:00:00"), T("13:00:00")},
                                     {T("16:00:00") + 1, T("16:20:00")},
                                     {T("18:00:00") + 1, T("18:30:00")},
                                     {T("19:45:12.5") + 1, T("20:09:00")},
                                     {T("20:30:00") + 1, T("21:00:00")}};
  EXPECT_EQ(st->gaps, gaps);
  bool noted = false;
  for (const auto& n : st->notes) noted = noted || n.find("late or backfilled") != std::string::npos;
  EXPECT_TRUE(noted) << ::testing::PrintToString(st->notes);

  // Through the CLI: exit 0, every tick, no gap claimed over the stored minute.
  std::string cli_out, cli_err;
  EXPECT_EQ(Cli({{"read-via", "files"}}, cli_out, cli_err), 0) << cli_err;
  EXPECT_EQ(static_cast<std::size_t>(std::count(cli_out.begin(), cli_out.end(), '\n')), truth.size());
  EXPECT_EQ(cli_err.find("from 2025-03-10T19:45:12.500001Z to 2025-03-10T20:10:00"), std::string::npos) << cli_err;
  EXPECT_NE(cli_err.find("from 2025-03-10T19:45:12.500001Z to 2025-03-10T20:09:00.000000Z (a collection gap)"),
            std::string::npos)
      << cli_err;
}

TEST(FederatedCli, AnUnreachableCentralDatabaseFailsBeforeAnyOutput) {
  cli::QueryOptions o;
  o.federated = true;
  o.dsn = "host=127.0.0.1 port=1 dbname=x user=x password=hunter2 connect_timeout=2";
  o.contract = std::to_string(kMnq);
  o.format = "json";
  o.start = "2025-03-10T12:00:00Z";
  o.end = "2025-03-10T13:00:00Z";
  std::FILE* fo = std::tmpfile();
  std::FILE* fe = std::tmpfile();
  ManualClock clock(T("20:00:00"));
  EXPECT_EQ(cli::RunQuery(o, clock, fo, fe), 1);
  const std::string out = ReadAll(fo), err = ReadAll(fe);
  std::fclose(fo);
  std::fclose(fe);
  EXPECT_TRUE(out.empty()) << out;
  EXPECT_NE(err.find("cannot reach the central database"), std::string::npos) << err;
  EXPECT_NE(err.find("--dsn"), std::string::npos) << err;
  EXPECT_EQ(err.find("hunter2"), std::string::npos) << err;
}

}  // namespace
}  // namespace ibr::federation
