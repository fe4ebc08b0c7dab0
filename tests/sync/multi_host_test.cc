// Three storage roots, three agents, one central PostgreSQL: after sync the
// timeline, server-at-T and gap answers equal the scenario's known truth
// (scenario.h), the seed's own SQL runs unchanged, and the reports run as
// the read-only role.
#include <gtest/gtest.h>

#include <cstdio>

#include "common/file_system.h"
#include "fake_sleeper.h"
#include "pg_central_store.h"
#include "pg_test_db.h"
#include "scenario.h"
#include "seed_queries.h"
#include "sync_agent.h"

namespace ibr::sync::testing {
namespace {

using Rows = std::vector<std::string>;

class MultiHost : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (!db_) return;
    scenario_ = MakeScenario(TempDir("scenario"));
    // green first: its migration events name blue before blue is known centrally.
    for (TestCatalog* cat : scenario_.all()) {
      PgCentralStore store(db_->sync_dsn());
      AgentOptions o;
      o.catalog_path = cat->catalog_path();
      SyncAgent agent(o, store, SystemClock::Instance(), sleeper_, PosixFileSystem::Instance(), nullptr);
      auto r = agent.SyncPending();
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    }
  }
  // Rows of a query, instance names shortened (blue, green, collector2).
  Rows Q(const std::string& sql) {
    Rows rows = db_->Rows(sql);
    for (auto& r : rows) {
      for (const char* prefix : {"production-collector1-", "production-"}) {
        for (std::size_t p; (p = r.find(prefix)) != std::string::npos;) r.erase(p, std::string(prefix).size());
      }
    }
    return rows;
  }

  Scenario scenario_;
  FakeSleeper sleeper_;
};

#define SKIP_WITHOUT_PG() \
  if (!db_) return

TEST_F(MultiHost, ServersAtIncludesCompletedAndFailedSessions) {
  SKIP_WITHOUT_PG();
  auto at = [&](const std::string& t) {
    return Q("SELECT instance_name, host, port, status FROM servers_at(711280073, '" + t + "')");
  };
  EXPECT_EQ(at("2025-03-10 14:30+00"), (Rows{"blue|collector1|8002|completed"}));
  EXPECT_EQ(at("2025-03-10 14:55+00"), (Rows{"blue|collector1|8002|completed", "green|collector1|8002|completed"}));
  EXPECT_EQ(at("2025-03-10 16:10+00"), (Rows{"green|collector1|8002|completed"}));
  EXPECT_EQ(at("2025-03-10 18:15+00"), Rows{});
  EXPECT_EQ(at("2025-03-10 19:00+00"), (Rows{"collector2|collector2|8002|failed"}));
  EXPECT_EQ(at("2025-03-10 19:50+00"), Rows{});
  EXPECT_EQ(at("2025-07-11 15:30+00"), (Rows{"collector2|collector2|8002|completed"}));
  EXPECT_EQ(Q("SELECT instance_name, status, session_end FROM servers_at(711280073, now() - interval '1 hour')"),
            (Rows{"collector2|active|∅"}));
  // where the files are: each instance's storage root
  EXPECT_EQ(Q("SELECT storage_path FROM servers_at(711280073, '2025-03-10 14:55+00')"),
            (Rows{scenario_.blue->root(), scenario_.green->root()}));
}

TEST_F(MultiHost, ServersAtNowAndAtSessionBoundaries) {
  SKIP_WITHOUT_PG();
  // Recording now: the active session answers at now() itself, nobody after it.
  EXPECT_EQ(Q("SELECT instance_name, status, session_end FROM servers_at(711280073, now())"),
            (Rows{"collector2|active|∅"}));
  EXPECT_EQ(Q("SELECT count(*) FROM servers_at(711280073, now() + interval '1 second')"), (Rows{"0"}));
  EXPECT_EQ(Q("SELECT s.status FROM servers_at(711280073, (SELECT session_start FROM collection_sessions "
              "WHERE status = 'active')) s"),
            (Rows{"active"}));
  // Half-open [start, end): a start is in, an end is out, for completed and failed sessions alike.
  auto at = [&](const std::string& t) {
    return Q("SELECT instance_name, status FROM servers_at(711280073, '2025-03-10 " + t + "+00')");
  };
  EXPECT_EQ(at("12:59:59.999999"), Rows{});
  EXPECT_EQ(at("13:00"), (Rows{"blue|completed"}));
  EXPECT_EQ(at("14:50"), (Rows{"blue|completed", "green|completed"}));
  EXPECT_EQ(at("14:59:59.999999"), (Rows{"blue|completed", "green|completed"}));
  EXPECT_EQ(at("15:00"), (Rows{"green|completed"}));
  EXPECT_EQ(at("17:59:59.999999"), (Rows{"green|completed"}));
  EXPECT_EQ(at("18:00"), Rows{});
  EXPECT_EQ(at("18:30"), (Rows{"collector2|failed"}));
  EXPECT_EQ(at("19:45:12.499999"), (Rows{"collector2|failed"}));  // a failed session: up to its recorded end
  EXPECT_EQ(at("19:45:12.5"), Rows{});
}

TEST_F(MultiHost, AnActiveSessionCoversUpToNow) {
  SKIP_WITHOUT_PG();
  const std::string active_start = "(SELECT session_start FROM collection_sessions WHERE status = 'active')";
  // One statement: now() is the same everywhere in it.
  EXPECT_EQ(Q("SELECT instance_name, coverage_start = " + active_start + ", coverage_end = now(), status FROM "
              "contract_timeline(711280073, now() - interval '3 hours', now() + interval '1 hour')"),
            (Rows{"collector2|t|t|active"}));
  EXPECT_EQ(Q("SELECT gap_start = now() - interval '3 hours', gap_end = " + active_start + ", cause FROM "
              "collection_gaps(711280073, now() - interval '3 hours', now() + interval '1 hour') "
              "WHERE gap_end <= now()"),
            (Rows{"t|t|no_session"}));
  EXPECT_EQ(Q("SELECT gap_start = now(), gap_end = now() + interval '1 hour', cause FROM "
              "collection_gaps(711280073, now() - interval '3 hours', now() + interval '1 hour') "
              "WHERE gap_end > now()"),
            (Rows{"t|t|no_session"}));
  EXPECT_EQ(Q("SELECT count(*) FROM collection_gaps(711280073, now() - interval '90 minutes', now())"), (Rows{"0"}));
}

// Coverage starts at each session's first stored tick: blue's files start 0.25 s into 13:00
// (scenario.cc: AddHourlyFiles without `from`), green's and collector2's at their session start.
TEST_F(MultiHost, TimelineIsStoredTicksMinusOutagesClipped) {
  SKIP_WITHOUT_PG();
  EXPECT_EQ(Q("SELECT instance_name, coverage_start, coverage_end, status FROM "
              "contract_timeline(711280073, '2025-03-10 12:00+00', '2025-03-10 21:00+00')"),
            (Rows{"blue|2025-03-10 13:00:00.25+00|2025-03-10 15:00:00+00|completed",
                  "green|2025-03-10 14:50:00+00|2025-03-10 16:00:00+00|completed",
                  "green|2025-03-10 16:20:00+00|2025-03-10 18:00:00+00|completed",
                  "collector2|2025-03-10 18:30:00+00|2025-03-10 19:45:12.5+00|failed"}));
  EXPECT_EQ(Q("SELECT instance_name, coverage_start, coverage_end FROM "
              "contract_timeline(711280073, '2025-03-10 14:00+00', '2025-03-10 14:55+00')"),
            (Rows{"blue|2025-03-10 14:00:00+00|2025-03-10 14:55:00+00",
                  "green|2025-03-10 14:50:00+00|2025-03-10 14:55:00+00"}));
  EXPECT_EQ(Q("SELECT instance_name, coverage_start, coverage_end FROM "
              "contract_timeline(265598, '2025-03-10 00:00+00', '2025-03-11 00:00+00')"),
            (Rows{"blue|2025-03-10 13:00:00.25+00|2025-03-10 15:00:00+00",
                  "green|2025-03-10 14:50:00+00|2025-03-10 18:00:00+00"}));
  EXPECT_EQ(Q("SELECT count(*) FROM contract_timeline(711280073, '2025-03-10 21:00+00', '2025-03-10 12:00+00')"),
            (Rows{"0"}));
}

TEST_F(MultiHost, GapsComeFromTheUnionOfCoverage) {
  SKIP_WITHOUT_PG();
  EXPECT_EQ(Q("SELECT gap_start, gap_end, gap_duration, cause FROM "
              "collection_gaps(711280073, '2025-03-10 12:00+00', '2025-03-10 21:00+00')"),
            (Rows{"2025-03-10 12:00:00+00|2025-03-10 13:00:00+00|01:00:00|no_session",
                  "2025-03-10 13:00:00+00|2025-03-10 13:00:00.25+00|00:00:00.25|upstream_outage",
                  "2025-03-10 16:00:00+00|2025-03-10 16:20:00+00|00:20:00|upstream_outage",
                  "2025-03-10 18:00:00+00|2025-03-10 18:30:00+00|00:30:00|no_session",
                  "2025-03-10 19:45:12.5+00|2025-03-10 21:00:00+00|01:14:47.5|no_session"}));
  // The overlap of the handoff is no gap; a 'last'-only outage is no gap (bid_ask went on).
  EXPECT_EQ(Q("SELECT count(*) FROM collection_gaps(711280073, '2025-03-10 13:00:00.25+00', '2025-03-10 16:00+00')"),
            (Rows{"0"}));
  EXPECT_EQ(Q("SELECT gap_start, gap_end, cause FROM "
              "collection_gaps(265598, '2025-03-10 12:00+00', '2025-03-10 21:00+00')"),
            (Rows{"2025-03-10 12:00:00+00|2025-03-10 13:00:00+00|no_session",
                  "2025-03-10 13:00:00+00|2025-03-10 13:00:00.25+00|upstream_outage",
                  "2025-03-10 18:00:00+00|2025-03-10 21:00:00+00|no_session"}));
  EXPECT_EQ(Q("SELECT count(*) FROM collection_gaps(711280073, now() - interval '90 minutes', now())"), (Rows{"0"}));
  EXPECT_EQ(Q("SELECT count(*) FROM collection_gaps(711280073, '2025-03-10 21:00+00', '2025-03-10 12:00+00')"),
            (Rows{"0"}));
}

TEST_F(MultiHost, SeedFunctionsSayWhichInstanceHoldsEachFile) {
  SKIP_WITHOUT_PG();
  EXPECT_EQ(Q("SELECT instance_name, host, file_path FROM "
              "get_files_for_range(711280073, 'bid_ask', '2025-03-10 14:30+00', '2025-03-10 15:30+00')"),
            (Rows{"blue|collector1|protobuf/711280073/bid_ask/2025/03/10/14_ticks.pb.lz4",
                  "green|collector1|protobuf/711280073/bid_ask/2025/03/10/14_ticks.pb.lz4",
                  "green|collector1|protobuf/711280073/bid_ask/2025/03/10/15_ticks.pb.lz4"}));
  EXPECT_EQ(Q("SELECT count(*), bool_and(is_complete) FROM get_files_to_present(265598, 'bid_ask', "
              "'2025-03-10 00:00+00')"),
            (Rows{"6|t"}));
  EXPECT_EQ(Q("SELECT instance_name, message_count, round(messages_per_minute), round(file_size_mb, 2) FROM "
              "get_files_with_density(265598, 'bid_ask', '2025-01-10 14:00+00', '2025-01-10 14:59+00')"),
            (Rows{"blue|45000|1501|0.86"}));
  EXPECT_EQ(Q("SELECT * FROM get_session_boundaries('2025-03-10')"),
            (Rows{"2025-03-10 13:30:00+00|2025-03-10 20:00:00+00"}));
  EXPECT_EQ(Q("SELECT * FROM get_session_boundaries('2025-01-10', 'US', 'extended')"),
            (Rows{"2025-01-10 09:00:00+00|2025-01-11 01:00:00+00"}));
}

TEST_F(MultiHost, MigrationsNameBothInstancesAndKeepValidationResults) {
  SKIP_WITHOUT_PG();
  EXPECT_EQ(Q("SELECT event_type, event_status, src.instance_name, dst.instance_name, "
              "validation_results->>'mismatches', recorder.instance_name "
              "FROM migration_events me JOIN server_instances src ON src.id = me.source_server_id "
              "JOIN server_instances dst ON dst.id = me.target_server_id "
              "JOIN server_instances recorder ON recorder.id = me.server_instance_id ORDER BY event_start"),
            (Rows{"preparation|completed|blue|green|∅|green", "handoff|completed|blue|green|0|green",
                  "validation|completed|blue|green|∅|green"}));
  EXPECT_EQ(Q("SELECT contracts_migrated FROM migration_events WHERE event_type = 'handoff'"),
            (Rows{"{711280073,265598}"}));
}

TEST_F(MultiHost, CentralRowsEqualEachCatalogAndContractsAreMerged) {
  SKIP_WITHOUT_PG();
  PgCentralStore store(db_->sync_dsn());
  for (auto* cat : scenario_.all()) {
    auto name = db_->One("SELECT instance_name FROM server_instances WHERE storage_path = '" + cat->root() + "'");
    auto central = store.CountRows(name);
    ASSERT_TRUE(central.ok()) << central.status().ToString();
    EXPECT_EQ(*central, cat->Counts()) << name;
  }
  EXPECT_EQ(Q("SELECT contract_id, symbol, first_seen, tracked, tick_types FROM contracts ORDER BY contract_id"),
            (Rows{"265598|AAPL|2025-01-10 14:00:00.25+00|t|{bid_ask,last}",
                  "711280073|MNQ|2025-03-10 13:00:00.25+00|t|{bid_ask,last}"}));
  EXPECT_EQ(Q("SELECT count(*) FROM instance_contracts"), (Rows{"5"}));
}

TEST_F(MultiHost, SeedSqlRunsUnchanged) {
  SKIP_WITHOUT_PG();
  // Seed 000, "find server": its status = 'active' filter misses the completed session (DESIGN.md);
  // servers_at finds it.
  EXPECT_EQ(Q(kSeed000FindServer), Rows{});
  EXPECT_EQ(Q("SELECT instance_name FROM servers_at(711280073, '2025-07-11 15:30:00+00')"), (Rows{"collector2"}));
  EXPECT_EQ(Q(kSeed000Timeline),
            (Rows{"collector2|" + scenario_.collector2->root() +
                  "|2025-07-11 13:00:00+00|2025-07-11 21:00:00+00|{bid_ask}|0|08:00:00"}));
  EXPECT_EQ(Q(kSeed000GapDetection).size(), 1u);  // July session to the active one
  EXPECT_EQ(Q(kSeed002SessionFiles).size(), 7u);
  EXPECT_EQ(Q(kSeed002SessionStats), (Rows{"2025-01-10 14:30:00+00|2025-01-10 20:59:59.25+00|315000|6300000"}));
  EXPECT_EQ(Q(kSeed002ActiveContracts), (Rows{"265598|bid_ask|7"}));
  EXPECT_GE(Q(kSeed002DailyStorage).size(), 1u);
  EXPECT_EQ(Q(kSeed002TopContracts).size(), 1u);
}

TEST_F(MultiHost, ReportsRunAsTheReadOnlyRole) {
  SKIP_WITHOUT_PG();
  const std::string dir = std::string(IBR_SOURCE_DIR) + "/schema/postgres/reports/";
  for (const char* report : {"who_had_contract_at.sql", "contract_timeline.sql", "gaps_this_week.sql",
                             "migration_history.sql", "storage_by_day.sql", "storage_by_contract.sql",
                             "sync_status.sql", "database_size.sql"}) {
    std::string cmd = "psql -X -v ON_ERROR_STOP=1 -v at='2025-03-10 14:30+00' -v from='2025-03-10' "
                      "-v to='2025-03-11' \"" + db_->reporter_dsn() + "\" -f " + dir + report + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string out;
    char buf[512];
    while (fgets(buf, sizeof buf, p)) out += buf;
    int rc = pclose(p);
    EXPECT_EQ(rc, 0) << report << ":\n" << out;
    EXPECT_NE(out.find("row"), std::string::npos) << report << ":\n" << out;
  }
}

}  // namespace
}  // namespace ibr::sync::testing
