// CentralTimeline's stored spans on the real PostgreSQL: files retention deleted or
// archived (tick_files.retention_state, schema/postgres/0004 and 0006) cannot be read
// from their instance, so they give no "stored" row; the sessions' coverage still counts
// them (contract_timeline, 0005). Rows are written directly as the owner.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "federation/central_timeline.h"
#include "federation/federation_test_util.h"
#include "pg_test_db.h"

namespace ibr::federation {
namespace {

using sync::testing::PgTestDb;
using test_util::T;

// Contract 100 on alpha (one `run --source http` session 13:00-16:00): hour 13's file
// (13:00:05 .. 13:59:50) deleted, hour 14's (14:00:02 .. 14:59:58) archived, hour 15's
// (15:00:01 .. 15:30:00) present. Asked for 12:00-18:00: coverage alpha [13:00:05, 15:30:00)
// (first to last stored tick, retired files included), and one stored row, hour 15,
// [15:00:01, 15:30:00 + 1 us) (end_time is the last tick: made exclusive).
TEST(CentralTimelineRetired, RetiredFilesGiveNoStoredSpanButStillCover) {
  auto owner = sync::testing::OwnerDsnOrSkip();
  if (!owner) return;
  auto db = PgTestDb::Create(*owner);
  auto at = [](const std::string& hhmm) { return "'2025-03-10 " + hhmm + "+00'"; };
  db->Exec(
      "INSERT INTO server_instances (id, instance_name, server_version, host, port, storage_path, environment) "
      "VALUES (1, 'alpha', '1', 'collector1', 8080, '/srv/a', 'production');"
      "INSERT INTO catalog_generations (id, server_instance_id, catalog_generation) VALUES (1, 1, 'a1');"
      "INSERT INTO collection_sessions (server_instance_id, local_id, session_start, session_end, status, "
      "session_kind, config_snapshot, catalog_generation) VALUES (1, 1, " + at("13:00") + ", " + at("16:00") +
      ", 'completed', 'run', '{\"source\":\"http\"}', 'a1');"
      "INSERT INTO session_contracts (server_instance_id, collection_session_id, local_session_id, contract_id, "
      "tick_types, first_message_time, last_message_time, catalog_generation) "
      "SELECT 1, id, 1, 100, '{bid_ask}', " + at("13:00:05") + ", " + at("15:30") + ", 'a1' FROM collection_sessions");
  struct File {
    const char* first;
    const char* last;
    const char* state;
  };
  for (const File& f : {File{"13:00:05", "13:59:50", "'deleted'"}, File{"14:00:02", "14:59:58", "'archived'"},
                        File{"15:00:01", "15:30", "NULL"}}) {
    const std::string hour = std::string(f.first).substr(0, 2);
    db->Exec("INSERT INTO tick_files (server_instance_id, contract_id, tick_type, file_path, start_time, end_time, "
             "hour_bucket, message_count, status, retention_state, retired_at) VALUES (1, 100, 'bid_ask', "
             "'protobuf/100/bid_ask/2025/03/10/" + hour + "_ticks.pb.lz4', " + at(f.first) + ", " + at(f.last) +
             ", " + at(hour + ":00") + ", 100, 'sealed', " + f.state + ", " +
             (std::string(f.state) == "NULL" ? "NULL" : "'2026-01-01 00:00+00'") + ")");
  }

  auto timeline = CentralTimeline::Connect(db->reporter_dsn());
  ASSERT_TRUE(timeline.ok()) << timeline.status().ToString();
  auto rows = (*timeline)->Coverage(100, {T("12:00:00"), T("18:00:00")});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  std::vector<std::string> got;
  for (const CoverageRow& r : *rows) {
    got.push_back(r.instance.name + " " + r.status + " " + std::to_string(r.coverage.start - T("00:00:00")) + " " +
                  std::to_string(r.coverage.end - T("00:00:00")));
  }
  auto us = [](const std::string& hhmm) { return std::to_string(T(hhmm) - T("00:00:00")); };
  EXPECT_EQ(got, (std::vector<std::string>{"alpha completed " + us("13:00:05") + " " + us("15:30:00"),
                                           "alpha stored " + us("15:00:01") + " " +
                                               std::to_string(T("15:30:00") + 1 - T("00:00:00"))}));
}

}  // namespace
}  // namespace ibr::federation
