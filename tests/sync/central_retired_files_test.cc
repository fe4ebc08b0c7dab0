// Files retention retired, centrally (schema/postgres/0006): a fresh database on the
// real PostgreSQL gets rows written directly (as the owner); the file-locating functions,
// the storage reports and the coverage functions are compared with the answer worked out
// by hand in the comment above each case. Retired files are not listed for reading, their
// bytes are reported apart, and they still count as evidence that ticks were collected.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "pg_test_db.h"

namespace ibr::sync::testing {
namespace {

using RetiredRows = std::vector<std::string>;

// Contract 100, bid_ask, 2025-03-10 (sizes in MiB):
//   alpha hour 13  13:00:05 .. 13:59:50  1000 ticks  1 MiB  deleted by retention
//   alpha hour 14  14:00:02 .. 14:59:58  2000 ticks  2 MiB  archived by retention
//   alpha hour 15  15:00:01 .. 15:30:00   500 ticks  3 MiB  present
//   beta  hour 14  14:00:00 .. 14:59:59  1500 ticks  4 MiB  present
// alpha ran one `run --source http` session 13:00-16:00 listing 100 (no live upstream: it
// covers first to last stored tick), its first/last tick 13:00:05 / 15:30:00.
class RetiredFiles : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (!db_) return;
    InsertAlphaAndBeta(*db_);
    db_->Exec(
        "INSERT INTO collection_sessions (server_instance_id, local_id, session_start, session_end, status, "
        "session_kind, config_snapshot, catalog_generation) VALUES (1, 1, " + At("13:00") + ", " + At("16:00") +
        ", 'completed', 'run', '{\"source\":\"http\",\"tracked_contracts\":[{\"contract_id\":100}]}', 'a1');"
        "INSERT INTO session_contracts (server_instance_id, collection_session_id, local_session_id, contract_id, "
        "tick_types, first_message_time, last_message_time, catalog_generation) "
        "SELECT 1, id, 1, 100, '{bid_ask}', " + At("13:00:05") + ", " + At("15:30") + ", 'a1' FROM collection_sessions");
    AddFile(1, "13:00:05", "13:59:50", 1000, 1, "deleted");
    AddFile(1, "14:00:02", "14:59:58", 2000, 2, "archived");
    AddFile(1, "15:00:01", "15:30", 500, 3, "");
    AddFile(2, "14:00", "14:59:59", 1500, 4, "");
  }
  static std::string At(const std::string& hhmm) { return "'2025-03-10 " + hhmm + "+00'"; }
  void AddFile(int instance, const std::string& first, const std::string& last, long ticks, long mib,
               const std::string& state) {
    const std::string hour = first.substr(0, 2);
    db_->Exec("INSERT INTO tick_files (server_instance_id, contract_id, tick_type, file_path, start_time, end_time, "
              "hour_bucket, message_count, file_size_bytes, status, retention_state, retired_at) VALUES (" +
              std::to_string(instance) + ", 100, 'bid_ask', 'protobuf/100/bid_ask/2025/03/10/" + hour +
              "_ticks.pb.lz4', " + At(first) + ", " + At(last) + ", " + At(hour + ":00") + ", " +
              std::to_string(ticks) + ", " + std::to_string(mib * 1024 * 1024) + ", 'sealed', " +
              (state.empty() ? "NULL, NULL" : "'" + state + "', '2026-01-01 00:00+00'") + ")");
  }
  // Rows with the day and zone cut ("13:00:05"), as the comments state them.
  RetiredRows Cut(const std::string& sql) {
    RetiredRows rows = db_->Rows(sql);
    for (auto& r : rows) {
      for (std::size_t p; (p = r.find("2025-03-10 ")) != std::string::npos;) r.erase(p, 11);
      for (std::size_t p; (p = r.find("+00")) != std::string::npos;) r.erase(p, 3);
    }
    return rows;
  }
  // A report from schema/postgres/reports run by psql as ib_reporter: unaligned rows, '|' between fields.
  RetiredRows Report(const std::string& file, const std::string& vars) {
    const std::string cmd = "psql -X -q -A -t -F '|' -v ON_ERROR_STOP=1 " + vars + " \"" + db_->reporter_dsn() +
                            "\" -f " + std::string(IBR_SOURCE_DIR) + "/schema/postgres/reports/" + file + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    RetiredRows rows;
    if (p == nullptr) return {"popen failed: " + cmd};
    char buf[1024];
    while (fgets(buf, sizeof buf, p)) {
      std::string line(buf);
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      if (!line.empty()) rows.push_back(line);
    }
    const int rc = pclose(p);
    if (rc != 0) rows.push_back("exit " + std::to_string(rc));
    return rows;
  }
};

#define RETIRED_FILES_NEED_PG() \
  if (!db_) return

// Over 12:00-18:00 the readable files are beta's hour 14 and alpha's hour 15 (by start time);
// alpha's deleted hour 13 and archived hour 14 are not listed. At 14:30 only beta's file holds
// the moment (who_had_contract_at.sql asks this). From 13:00 on: the same two, both sealed.
TEST_F(RetiredFiles, FilesToReadLeaveRetiredOnesOut) {
  RETIRED_FILES_NEED_PG();
  EXPECT_EQ(Cut("SELECT instance_name, file_path, start_time, end_time, message_count FROM get_files_for_range("
                "100, 'bid_ask', " + At("12:00") + ", " + At("18:00") + ")"),
            (RetiredRows{"beta|protobuf/100/bid_ask/2025/03/10/14_ticks.pb.lz4|14:00:00|14:59:59|1500",
                         "alpha|protobuf/100/bid_ask/2025/03/10/15_ticks.pb.lz4|15:00:01|15:30:00|500"}));
  EXPECT_EQ(Cut("SELECT instance_name, start_time FROM get_files_for_range(100, 'bid_ask', " + At("14:30") + ", " +
                At("14:30") + ")"),
            (RetiredRows{"beta|14:00:00"}));
  EXPECT_EQ(Cut("SELECT instance_name, start_time, is_complete FROM get_files_to_present(100, 'bid_ask', " +
                At("13:00") + ")"),
            (RetiredRows{"beta|14:00:00|t", "alpha|15:00:01|t"}));
  EXPECT_EQ(Cut("SELECT instance_name, start_time, file_size_mb FROM get_files_with_density(100, 'bid_ask', " +
                At("13:00") + ", " + At("16:00") + ")"),
            (RetiredRows{"beta|14:00:00|4.0000000000000000", "alpha|15:00:01|3.0000000000000000"}));
  // The reporter may still call them (0006 re-creates them with the grant).
  EXPECT_EQ(Report("who_had_contract_at.sql", "-v contract_id=100 -v at='2025-03-10 14:30+00'"),
            (RetiredRows{"Sessions covering the contract at that time (completed and failed sessions included):",
                         "alpha|collector1|0|/srv/a|2025-03-10 13:00:00+00|2025-03-10 16:00:00+00|completed",
                         "Files holding that moment (path = storage_path/file_path on host):",
                         "beta|collector2|/srv/b/protobuf/100/bid_ask/2025/03/10/14_ticks.pb.lz4|"
                         "2025-03-10 14:00:00+00|2025-03-10 14:59:59+00|1500"}));
}

// storage_by_contract: 2 instances; in the storage roots 2 files (alpha 15, beta 14), 3 + 4 =
// 7.0 MiB, 500 + 1500 = 2000 ticks; retired 2 files, archived 2.0 MiB, deleted 1.0 MiB; no
// contracts row, so no symbol. storage_by_day (GiB to 3 places): alpha 1 file, 3/1024 = 0.003,
// 500 messages, 2 retired, archived 2/1024 = 0.002, deleted 1/1024 = 0.001; beta 1 file,
// 4/1024 = 0.004, 1500, nothing retired.
TEST_F(RetiredFiles, StorageReportsShowRetiredBytesApart) {
  RETIRED_FILES_NEED_PG();
  const std::string days = "-v days=100000";
  EXPECT_EQ(Report("storage_by_contract.sql", days), (RetiredRows{"100||2|2|7.0|2000|2|2.0|1.0"}));
  EXPECT_EQ(Report("storage_by_day.sql", days), (RetiredRows{"2025-03-10|alpha|1|0.003|500|2|0.002|0.001",
                                                             "2025-03-10|beta|1|0.004|1500|0|0.000|0.000"}));
}

// Coverage counts retired files: alpha's session (no live upstream) covers its first stored
// tick, 13:00:05 (in the deleted file), to its last, 15:30:00 — not from 15:00:01, the first
// tick of a file still present. Gaps 12-18: no session before 13:00, nothing stored
// 13:00-13:00:05 and 15:30-16:00 while the session ran (upstream_outage), no session after.
// servers_at 14:30 names alpha (its archived hour still says it collected then).
TEST_F(RetiredFiles, CoverageStillCountsRetiredFilesAsCollected) {
  RETIRED_FILES_NEED_PG();
  EXPECT_EQ(Cut("SELECT instance_name, coverage_start, coverage_end FROM contract_timeline(100, " + At("12:00") +
                ", " + At("18:00") + ")"),
            (RetiredRows{"alpha|13:00:05|15:30:00"}));
  EXPECT_EQ(Cut("SELECT gap_start, gap_end, cause FROM collection_gaps(100, " + At("12:00") + ", " + At("18:00") +
                ")"),
            (RetiredRows{"12:00:00|13:00:00|no_session", "13:00:00|13:00:05|upstream_outage",
                         "15:30:00|16:00:00|upstream_outage", "16:00:00|18:00:00|no_session"}));
  EXPECT_EQ(Cut("SELECT instance_name FROM servers_at(100, " + At("14:30") + ")"), (RetiredRows{"alpha"}));
}

}  // namespace
}  // namespace ibr::sync::testing
