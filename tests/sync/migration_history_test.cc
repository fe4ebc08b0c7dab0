// The migration workflow seen centrally: `migrate` steps recorded in a real
// storage root's catalog (migration::RunStep over Store-written ticks), synced
// by the real agent into PostgreSQL, then schema/postgres/reports/migration_history.sql
// lists them — preparation, handoff (completed, with the validation's results),
// validation — naming both instances, also when the target syncs first.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/file_system.h"
#include "fake_sleeper.h"
#include "migration/migration_steps.h"
#include "migration/migration_test_util.h"
#include "pg_central_store.h"
#include "pg_test_db.h"
#include "sync_agent.h"
#include "test_catalog.h"

namespace ibr::sync::testing {
namespace {

std::string MigrationHistorySql() {
  std::ifstream in(std::string(IBR_SOURCE_DIR) + "/schema/postgres/reports/migration_history.sql");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string sql = ss.str();
  while (!sql.empty() && (sql.back() == '\n' || sql.back() == ';')) sql.pop_back();
  return sql;
}

class MigrationHistoryReport : public PgTest {
 protected:
  void SyncRoot(const std::string& root) {
    PgCentralStore store(db_->sync_dsn());
    AgentOptions o;
    o.catalog_path = root + "/metadata/catalog.sqlite";
    SyncAgent agent(o, store, SystemClock::Instance(), sleeper_, PosixFileSystem::Instance(), nullptr);
    auto r = agent.SyncPending();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  migration::StepOutcome Step(const std::string& step) {
    migration::StepRequest r;
    r.step = step;
    r.storage = blue_;
    r.source = "blue-collector1";
    r.target = "green-collector1";
    r.contracts = {265598};
    r.target_storage = green_;
    r.notes = step == "complete" ? "switched storage-active" : "";
    clock_.Advance(kUsPerSecond);
    auto out = migration::RunStep(PosixFileSystem::Instance(), clock_, r);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? *out : migration::StepOutcome{};
  }
  FakeSleeper sleeper_;
  ManualClock clock_{ibr::testing::T("2025-03-10T14:10:00Z")};
  std::string blue_ = TempDir("mig-blue"), green_ = TempDir("mig-green");
};

TEST_F(MigrationHistoryReport, ListsTheRecordedBlueGreenSteps) {
  if (!db_) return;
  const TimeUs t0 = ibr::testing::T("2025-03-10T14:00:00Z");
  const auto feed = ibr::testing::QuotesEverySecond(265598, t0, 120);
  ibr::testing::WriteTicks(blue_, "blue-collector1", ibr::testing::Slice(feed, t0, 0, 70), clock_);
  ibr::testing::WriteTicks(green_, "green-collector1", ibr::testing::Slice(feed, t0, 60, 120), clock_);
  EXPECT_TRUE(Step("prepare").ok);
  EXPECT_TRUE(Step("handoff").ok);
  EXPECT_TRUE(Step("validate").ok);
  EXPECT_TRUE(Step("complete").ok);
  SyncRoot(blue_);   // the recording instance; the target is not known centrally yet
  SyncRoot(green_);  // now it is: the trigger resolves target_server_id
  const auto rows = db_->Rows(
      "SELECT event_type, event_status, source, target, contracts_migrated, validation_results->>'ok', "
      "validation_results->'contracts'->0->>'overlap_seconds', notes, recorded_by, took >= interval '0' "
      "FROM (" + MigrationHistorySql() + ") h ORDER BY event_start");
  EXPECT_EQ(rows, (std::vector<std::string>{
                      "preparation|completed|blue-collector1|green-collector1|{265598}|true|∅|∅|blue-collector1|t",
                      "handoff|completed|blue-collector1|green-collector1|{265598}|true|9.0|switched storage-active|"
                      "blue-collector1|t",
                      "validation|completed|blue-collector1|green-collector1|{265598}|true|9.0|∅|blue-collector1|t"}));
  EXPECT_EQ(db_->One("SELECT count(*) FROM migration_events WHERE source_server_id IS NOT NULL AND "
                     "target_server_id IS NOT NULL"),
            "3");
}

}  // namespace
}  // namespace ibr::sync::testing
