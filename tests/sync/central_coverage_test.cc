// Central coverage from the ticks that arrived (schema/postgres/0005): each case
// writes central rows directly (as the owner) into a fresh database on the real
// PostgreSQL, and compares contract_timeline / session_timeline / collection_gaps /
// servers_at with the answer worked out by hand in the comment above it. Also: every
// foreign key has an index, and every function is defined by exactly one migration.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "pg_test_db.h"

namespace ibr::sync::testing {
namespace {

using Rows = std::vector<std::string>;
constexpr const char* kLive = R"({"source":"sse","tracked_contracts":[{"contract_id":100}]})";
constexpr const char* kHttp = R"({"source":"http","tracked_contracts":[{"contract_id":100}]})";

class CentralCoverage : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (!db_) return;
    InsertAlphaAndBeta(*db_);
    db_->Exec("INSERT INTO catalog_generations (id, server_instance_id, catalog_generation) VALUES (3, 1, 'a2')");
  }
  // A session of `instance` (generation a1 / b1 unless given); times are 2025-03-10 HH:MM[:SS].
  std::string Session(int instance, const std::string& kind, const std::string& start, const std::string& end,
                      const std::string& snapshot, const std::string& generation = "") {
    const std::string gen = generation.empty() ? (instance == 1 ? "a1" : "b1") : generation;
    const std::string local = std::to_string(++local_);
    db_->Exec("INSERT INTO collection_sessions (server_instance_id, local_id, session_start, session_end, "
              "status, session_kind, config_snapshot, catalog_generation) VALUES (" +
              std::to_string(instance) + ", " + local + ", " + T(start) + ", " + T(end) + ", 'completed', '" + kind +
              "', '" + snapshot + "', '" + gen + "')");
    return db_->One("SELECT id FROM collection_sessions WHERE local_id = " + local);
  }
  void Contract(const std::string& session, long contract, const std::string& types,
                const std::string& first = "", const std::string& last = "") {
    db_->Exec("INSERT INTO session_contracts (server_instance_id, collection_session_id, local_session_id, "
              "contract_id, tick_types, first_message_time, last_message_time, catalog_generation) "
              "SELECT server_instance_id, id, local_id, " + std::to_string(contract) + ", '" + types + "', " +
              (first.empty() ? "NULL" : T(first)) + ", " + (last.empty() ? "NULL" : T(last)) +
              ", catalog_generation FROM collection_sessions WHERE id = " + session);
  }
  // A file of `instance` holding ticks first..last of hour `hour` (HH).
  void File(int instance, long contract, const std::string& type, const std::string& first, const std::string& last,
            long ticks = 1000) {
    const std::string hour = first.substr(0, 2);
    db_->Exec("INSERT INTO tick_files (server_instance_id, contract_id, tick_type, file_path, start_time, end_time, "
              "hour_bucket, message_count, status) VALUES (" +
              std::to_string(instance) + ", " + std::to_string(contract) + ", '" + type + "', 'protobuf/" +
              std::to_string(contract) + "/" + type + "/2025/03/10/" + hour + "_ticks.pb.lz4', " + T(first) + ", " +
              T(last) + ", " + T(hour + ":00") + ", " + std::to_string(ticks) + ", 'sealed')");
  }
  void Outage(const std::string& session, long contract, const std::string& type, const std::string& from,
              const std::string& to) {
    db_->Exec("INSERT INTO outages (server_instance_id, local_id, collection_session_id, contract_id, tick_type, "
              "outage_start, outage_end, cause, catalog_generation) SELECT server_instance_id, " +
              std::to_string(++local_) + ", id, " + std::to_string(contract) + ", " +
              (type.empty() ? "NULL" : "'" + type + "'") + ", " + T(from) + ", " + T(to) +
              ", 'disconnect', catalog_generation FROM collection_sessions WHERE id = " + session);
  }
  static std::string T(const std::string& hhmm) { return "'2025-03-10 " + hhmm + "+00'"; }
  // Rows with the day and zone cut ("13:00:00"), as the comments state them.
  Rows Q(const std::string& sql) {
    Rows rows = db_->Rows(sql);
    for (auto& r : rows) {
      for (std::size_t p; (p = r.find("2025-03-10 ")) != std::string::npos;) r.erase(p, 11);
      for (std::size_t p; (p = r.find("+00")) != std::string::npos;) r.erase(p, 3);
    }
    return rows;
  }
  Rows Timeline(long contract, const std::string& from = "12:00", const std::string& to = "18:00") {
    return Q("SELECT instance_name, coverage_start, coverage_end FROM contract_timeline(" + std::to_string(contract) +
             ", " + T(from) + ", " + T(to) + ")");
  }
  Rows Gaps(long contract, const std::string& from = "12:00", const std::string& to = "18:00") {
    return Q("SELECT gap_start, gap_end, cause FROM collection_gaps(" + std::to_string(contract) + ", " + T(from) +
             ", " + T(to) + ")");
  }
  int local_ = 0;
};

#define CENTRAL_COVERAGE_NEEDS_PG() \
  if (!db_) return

// alpha: `run --source http` 13:00-15:00 listing contract 100, nobody posted; beta: a live (sse)
// session 13:00-15:00 subscribed to 100, upstream delivered nothing. Nothing stored anywhere:
// no coverage; 13:00-15:00 is a gap with sessions running (cause upstream_outage: nothing came),
// 12-13 and 15-18 no_session. The
// session view still shows both sessions, and servers_at (by session) names both.
TEST_F(CentralCoverage, SessionsThatStoredNothingCoverNothing) {
  CENTRAL_COVERAGE_NEEDS_PG();
  Contract(Session(1, "run", "13:00", "15:00", kHttp), 100, "{bid_ask}");
  Contract(Session(2, "run", "13:00", "15:00", kLive), 100, "{bid_ask}");
  EXPECT_EQ(Timeline(100), Rows{});
  EXPECT_EQ(Gaps(100), (Rows{"12:00:00|13:00:00|no_session", "13:00:00|15:00:00|upstream_outage",
                             "15:00:00|18:00:00|no_session"}));
  EXPECT_EQ(Q("SELECT instance_name, session_start, session_end, session_kind FROM "
              "session_timeline(100, '2025-03-10 12:00+00', '2025-03-10 18:00+00')"),
            (Rows{"alpha|13:00:00|15:00:00|run", "beta|13:00:00|15:00:00|run"}));
  EXPECT_EQ(Q("SELECT instance_name FROM servers_at(100, '2025-03-10 14:00+00')"), (Rows{"alpha", "beta"}));
}

// An http session 13:00-15:00 whose contract got ticks 13:10 .. 14:20 (files of hours 13 and 14):
// no live upstream, so it covers [13:10, 14:20) and not up to its end; before the first and
// after the last tick it ran without data (gaps with a session running: upstream_outage).
TEST_F(CentralCoverage, AnHttpSessionCoversFirstToLastStoredTick) {
  CENTRAL_COVERAGE_NEEDS_PG();
  Contract(Session(1, "run", "13:00", "15:00", kHttp), 100, "{bid_ask}", "13:10", "14:20");
  File(1, 100, "bid_ask", "13:10", "13:59:59");
  File(1, 100, "bid_ask", "14:00:01", "14:20");
  EXPECT_EQ(Timeline(100), (Rows{"alpha|13:10:00|14:20:00"}));
  EXPECT_EQ(Gaps(100), (Rows{"12:00:00|13:00:00|no_session", "13:00:00|13:10:00|upstream_outage",
                             "14:20:00|15:00:00|upstream_outage", "15:00:00|18:00:00|no_session"}));
}

// A live session 13:00-17:00 subscribed to 100 (first tick 13:00:00.5, then every hour has a
// file): covered [13:00:00.5, 17:00). Contract 200, not subscribed, got one tick posted at 13:30:
// a single tick is no interval, so no coverage: the whole session is a gap for it (a session
// ran: upstream_outage).
TEST_F(CentralCoverage, OneUntrackedTickIsNoCoverage) {
  CENTRAL_COVERAGE_NEEDS_PG();
  const std::string s = Session(1, "run", "13:00", "17:00", kLive);
  Contract(s, 100, "{bid_ask}", "13:00:00.5", "16:59:59");
  for (const char* h : {"13", "14", "15", "16"}) {
    File(1, 100, "bid_ask", std::string(h) + (h == std::string("13") ? ":00:00.5" : ":00"), std::string(h) + ":59:59");
  }
  Contract(s, 200, "{last}", "13:30", "13:30");
  File(1, 200, "last", "13:30", "13:30", 1);
  EXPECT_EQ(Timeline(100, "13:00", "17:00"), (Rows{"alpha|13:00:00.5|17:00:00"}));
  EXPECT_EQ(Gaps(100, "13:00", "17:00"), (Rows{"13:00:00|13:00:00.5|upstream_outage"}));
  EXPECT_EQ(Timeline(200, "13:00", "17:00"), Rows{});
  EXPECT_EQ(Gaps(200, "13:00", "17:00"), (Rows{"13:00:00|17:00:00|upstream_outage"}));
}

// A live session 13:00-15:00: bid_ask stored from 13:00, last only from 14:10. Outages: all types
// 13:10-13:20, bid_ask 13:40-13:50 (last not started yet: a gap), bid_ask 14:20-14:30 (last
// flowing: no gap). Outages are removed as their union, not as one hull 13:10-14:30:
// covered [13:00,13:10), [13:20,13:40), [13:50,15:00); gaps are the two upstream outages.
TEST_F(CentralCoverage, OutagesAreRemovedAsTheirUnionPerTickType) {
  CENTRAL_COVERAGE_NEEDS_PG();
  const std::string s = Session(1, "run", "13:00", "15:00", kLive);
  Contract(s, 100, "{bid_ask,last}", "13:00", "14:59:59");
  File(1, 100, "bid_ask", "13:00", "13:59:59");
  File(1, 100, "bid_ask", "14:00", "14:59:59");
  File(1, 100, "last", "14:10", "14:59:59");
  Outage(s, 100, "", "13:10", "13:20");
  Outage(s, 100, "bid_ask", "13:40", "13:50");
  Outage(s, 100, "bid_ask", "14:20", "14:30");
  EXPECT_EQ(Timeline(100, "13:00", "15:00"),
            (Rows{"alpha|13:00:00|13:10:00", "alpha|13:20:00|13:40:00", "alpha|13:50:00|15:00:00"}));
  EXPECT_EQ(Gaps(100, "13:00", "15:00"),
            (Rows{"13:10:00|13:20:00|upstream_outage", "13:40:00|13:50:00|upstream_outage"}));
}

// An ingest (session 14:00-14:30, its span being the input's first to last line) and an import
// of contract 300, with ticks 14:05 .. 14:25 and 16:10 .. 16:40: no live upstream, so each covers
// its first to last stored tick, even when its session row says more.
TEST_F(CentralCoverage, IngestAndImportCoverFirstToLastStoredTick) {
  CENTRAL_COVERAGE_NEEDS_PG();
  Contract(Session(1, "ingest", "14:00", "14:30", "{}"), 300, "{last}", "14:05", "14:25");
  File(1, 300, "last", "14:05", "14:25");
  Contract(Session(2, "import", "16:00", "17:00", kLive), 300, "{last}", "16:10", "16:40");
  File(2, 300, "last", "16:10", "16:40");
  EXPECT_EQ(Timeline(300), (Rows{"alpha|14:05:00|14:25:00", "beta|16:10:00|16:40:00"}));
  EXPECT_EQ(Gaps(300, "14:00", "17:00"),
            (Rows{"14:00:00|14:05:00|upstream_outage", "14:25:00|14:30:00|upstream_outage",
                  "14:30:00|16:00:00|no_session", "16:00:00|16:10:00|upstream_outage",
                  "16:40:00|17:00:00|upstream_outage"}));
}

// alpha runs 13:00-17:00 and, meanwhile, ingests a file for 100 (session 14:00-14:30); beta runs
// 13:00-17:00. At 14:15 servers_at lists alpha once (its run session) and beta.
TEST_F(CentralCoverage, ServersAtListsAnInstanceOnceDuringAnIngest) {
  CENTRAL_COVERAGE_NEEDS_PG();
  const std::string run = Session(1, "run", "13:00", "17:00", kLive);
  Contract(run, 100, "{bid_ask}", "13:00", "16:59");
  Contract(Session(1, "ingest", "14:00", "14:30", "{}"), 100, "{bid_ask}", "14:00", "14:30");
  Contract(Session(2, "run", "13:00", "17:00", kLive), 100, "{bid_ask}", "13:00", "16:59");
  EXPECT_EQ(Q("SELECT instance_name, collection_session_id FROM servers_at(100, '2025-03-10 14:15+00')"),
            (Rows{"alpha|" + run, "beta|" + db_->One("SELECT id FROM collection_sessions WHERE server_instance_id = 2")}));
}

// Generation a1 of alpha had sessions 13:00-14:00 and 16:00-17:00. The catalog was lost and
// rebuilt (a2): its reconstructed session spans 13:00-17:30, and the files hold ticks in
// 13:00-14:30 (14:00-14:30 by a session a1 never synced) and 16:00-17:30. The reconstructed
// session counts where its files have ticks, outside the union of a1's sessions (not their hull
// 13:00-17:00): [14:00, 14:30] and [17:00, 17:30). 14:30-16:00 stays a no_session gap.
TEST_F(CentralCoverage, AReconstructedSessionFillsOnlyWhatOlderSessionsDidNotRun) {
  CENTRAL_COVERAGE_NEEDS_PG();
  Contract(Session(1, "run", "13:00", "14:00", kLive), 100, "{bid_ask}", "13:00", "13:59:59");
  Contract(Session(1, "run", "16:00", "17:00", kLive), 100, "{bid_ask}", "16:00", "16:59:59");
  Contract(Session(1, "reconstructed", "13:00", "17:30", "{}", "a2"), 100, "{bid_ask}", "13:00", "17:30");
  File(1, 100, "bid_ask", "13:00", "13:59:59");
  File(1, 100, "bid_ask", "14:00", "14:30");
  File(1, 100, "bid_ask", "16:00", "16:59:59");
  File(1, 100, "bid_ask", "17:00", "17:30");
  EXPECT_EQ(Timeline(100), (Rows{"alpha|13:00:00|14:00:00", "alpha|14:00:00|14:30:00", "alpha|16:00:00|17:00:00",
                                 "alpha|17:00:00|17:30:00"}));
  EXPECT_EQ(Gaps(100), (Rows{"12:00:00|13:00:00|no_session", "14:30:00|16:00:00|no_session",
                             "17:30:00|18:00:00|no_session"}));
  EXPECT_EQ(Q("SELECT cs.session_kind FROM servers_at(100, '2025-03-10 14:20+00') s "
              "JOIN collection_sessions cs ON cs.id = s.collection_session_id"),
            (Rows{"reconstructed"}));
  EXPECT_EQ(Q("SELECT count(*) FROM servers_at(100, '2025-03-10 15:00+00')"), (Rows{"0"}));
}

// A session cascade-deleted with its instance must not scan its children: every foreign key's
// columns lead some index of its table.
TEST_F(CentralCoverage, EveryForeignKeyHasAnIndex) {
  CENTRAL_COVERAGE_NEEDS_PG();
  EXPECT_EQ(Q(R"sql(
      SELECT c.conrelid::regclass || '(' || array_to_string(ARRAY(
                 SELECT a.attname FROM unnest(c.conkey) k JOIN pg_attribute a
                     ON a.attrelid = c.conrelid AND a.attnum = k), ',') || ')'
        FROM pg_constraint c
       WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
         AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid
                            AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] = c.conkey)
       ORDER BY 1)sql"),
            Rows{});
}

// Each function is created by one migration, once (no CREATE OR REPLACE of another file's
// function), so reading a function means reading one definition.
TEST(CentralSchemaFiles, EachFunctionIsDefinedOnce) {
  const std::filesystem::path dir = std::filesystem::path(IBR_SOURCE_DIR) / "schema/postgres";
  std::map<std::string, std::vector<std::string>> defined;
  const std::regex create(R"(CREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE)\s+([A-Za-z_.]+)\s*\()",
                          std::regex::icase);
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".sql") continue;
    std::ifstream in(e.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    for (std::sregex_iterator it(s.begin(), s.end(), create), end; it != end; ++it) {
      const std::string name = (*it)[3];
      if (name.rfind("pg_temp.", 0) == 0) continue;  // a file's own temporary helper
      EXPECT_FALSE((*it)[1].matched) << e.path().filename().string() << ": CREATE OR REPLACE " << name;
      defined[name].push_back(e.path().filename().string());
    }
  }
  EXPECT_GE(defined.size(), 10u);
  for (const auto& [name, files] : defined) EXPECT_EQ(files.size(), 1u) << name << " is defined more than once";
  for (const char* f : {"contract_coverage", "contract_timeline", "session_timeline", "collection_gaps", "servers_at"}) {
    ASSERT_EQ(defined[f].size(), 1u) << f;
    EXPECT_EQ(defined[f][0], "0005_coverage_from_ticks.sql") << f;
  }
}

}  // namespace
}  // namespace ibr::sync::testing
