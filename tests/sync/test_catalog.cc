#include "test_catalog.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>

#include "catalog_reader.h"
#include "common/time_text.h"
#include "storage/layout.h"

namespace ibr::sync::testing {

namespace {

std::string Q(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'";
    out += c;
  }
  return out + "'";
}

std::string QOpt(const std::optional<std::string>& s) { return s ? Q(*s) : "NULL"; }

constexpr const char* kStamp = "'2025-01-01T00:00:00.000000Z'";

}  // namespace

std::string TempDir(const std::string& tag) {
  static int n = 0;
  const char* base = std::getenv("TEST_TMPDIR");
  std::filesystem::path p = std::filesystem::path(base ? base : "/tmp") /
                            ("ibr-sync-" + tag + "-" + std::to_string(getpid()) + "-" + std::to_string(n++));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

std::unique_ptr<TestCatalog> TestCatalog::Create(const std::string& root, const InstanceSpec& inst) {
  const std::string path = storage::CatalogPath(root);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  static ManualClock clock(ParseIsoTimestamp("2025-01-01T00:00:00Z").value());
  auto cat = catalog::Catalog::Open(path, catalog::Catalog::Mode::kReadWrite, clock);
  EXPECT_TRUE(cat.ok()) << cat.status().ToString();
  if (!cat.ok()) return nullptr;
  std::unique_ptr<TestCatalog> t(new TestCatalog(root, std::move(cat).value()));
  t->Exec("INSERT INTO server_instances (instance_name, server_version, host, port, storage_path, environment, "
          "tws_client_id, created_at, updated_at) VALUES (" +
          Q(inst.name) + ", '0.1.0', " + Q(inst.host) + ", " + std::to_string(inst.port) + ", " + Q(root) + ", " +
          Q(inst.environment) + ", 10, " + kStamp + ", " + kStamp + ")");
  return t;
}

std::string TestCatalog::catalog_path() const { return storage::CatalogPath(root_); }

void TestCatalog::Exec(const std::string& sql) {
  Status s = db().Exec(sql);
  ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << sql;
}

std::int64_t TestCatalog::MaxChangeNo() {
  auto st = db().Prepare("SELECT value FROM change_counter WHERE id = 1");
  EXPECT_TRUE(st.ok());
  st->Step();
  return st->Int(0);
}

std::map<std::string, std::int64_t> TestCatalog::Counts() {
  auto reader = CatalogReader::Open(catalog_path());
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  auto c = (*reader)->CountRows();
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return *c;
}

std::int64_t TestCatalog::AddSession(const std::string& start, const std::optional<std::string>& end,
                                     const std::string& status, const std::string& kind, const std::string& reason) {
  Exec("INSERT INTO collection_sessions (server_instance_id, session_start, session_end, status, session_kind, "
       "config_snapshot, total_messages_collected, termination_reason, created_at, updated_at) VALUES (1, " +
       Q(start) + ", " + QOpt(end) + ", " + Q(status) + ", " + Q(kind) +
       ", '{\"environment\":\"production\",\"source\":\"sse\",\"tracked_contracts\":"
       "[{\"contract_id\":711280073},{\"contract_id\":265598}]}', 0, " +
       (reason.empty() ? std::string("NULL") : Q(reason)) + ", " + Q(start) + ", " + Q(end.value_or(start)) + ")");
  return db().LastInsertRowId();
}

void TestCatalog::AddSessionContract(std::int64_t session, std::int64_t contract_id, const std::string& symbol,
                                     const std::string& tick_types_json) {
  Exec("INSERT INTO session_contracts (collection_session_id, contract_id, symbol, tick_types, created_at, "
       "updated_at) VALUES (" +
       std::to_string(session) + ", " + std::to_string(contract_id) + ", " + Q(symbol) + ", " + Q(tick_types_json) +
       ", " + kStamp + ", " + kStamp + ")");
}

std::int64_t TestCatalog::AddOutage(std::int64_t session, std::int64_t contract_id,
                                    const std::optional<std::string>& tick_type, const std::string& start,
                                    const std::optional<std::string>& end, const std::string& cause) {
  Exec("INSERT INTO outages (collection_session_id, contract_id, tick_type, outage_start, outage_end, cause, "
       "created_at, updated_at) VALUES (" +
       std::to_string(session) + ", " + std::to_string(contract_id) + ", " + QOpt(tick_type) + ", " + Q(start) +
       ", " + QOpt(end) + ", " + Q(cause) + ", " + Q(start) + ", " + Q(end.value_or(start)) + ")");
  return db().LastInsertRowId();
}

void TestCatalog::AddContract(std::int64_t contract_id, const std::string& symbol, const std::string& first_seen,
                              const std::string& last_seen) {
  Exec("INSERT INTO contracts (contract_id, symbol, exchange, currency, contract_type, first_seen, last_seen, "
       "active, tracked, tick_types, buffer_hours, created_at, updated_at) VALUES (" +
       std::to_string(contract_id) + ", " + Q(symbol) + ", 'SMART', 'USD', 'STK', " + Q(first_seen) + ", " +
       Q(last_seen) + ", 1, 1, '[\"bid_ask\",\"last\"]', 24, " + Q(first_seen) + ", " + Q(last_seen) + ")");
}

void TestCatalog::AddHourlyFiles(std::int64_t contract_id, const std::string& first_hour, int hours,
                                 const std::vector<std::string>& tick_types, std::int64_t messages,
                                 const std::optional<std::string>& from, const std::optional<std::string>& to) {
  TimeUs h0 = ParseIsoTimestamp(first_hour).value();
  const TimeUs lo = from ? ParseIsoTimestamp(*from).value() : INT64_MIN;
  const TimeUs hi = to ? ParseIsoTimestamp(*to).value() : INT64_MAX;
  std::string sql = "BEGIN;";
  for (int h = 0; h < hours; ++h) {
    TimeUs bucket = h0 + h * kUsPerHour;
    for (const auto& tt : tick_types) {
      char rel[200];
      std::string day = FormatIsoDate(bucket);
      std::snprintf(rel, sizeof rel, "protobuf/%lld/%s/%s/%s/%s/%02lld_ticks.pb.lz4",
                    static_cast<long long>(contract_id), tt.c_str(), day.substr(0, 4).c_str(),
                    day.substr(5, 2).c_str(), day.substr(8, 2).c_str(),
                    static_cast<long long>((bucket / kUsPerHour) % 24));
      const std::string b = Q(FormatIsoTimestamp(bucket));
      sql += "INSERT INTO tick_files (contract_id, tick_type, hour_bucket, part, file_path, status, part_reason, "
             "start_time, end_time, file_size_bytes, message_count, compression, checksum, first_sequence, "
             "last_sequence, min_price, max_price, total_volume, price_sum, price_count, notional, created_at, "
             "updated_at) VALUES (" +
             std::to_string(contract_id) + ", " + Q(tt) + ", " + b + ", 1, " + Q(rel) + ", 'sealed', 'first', " +
             Q(FormatIsoTimestamp(std::max(bucket + 250000, lo))) + ", " +
             Q(FormatIsoTimestamp(std::min(bucket + kUsPerHour - 750000, hi))) +
             ", " + std::to_string(messages * 20) + ", " + std::to_string(messages) +
             ", 'lz4', 'xxh32:0badf00d', 1, " + std::to_string(messages) +
             ", 229.95, 231.1, 1500.5, 13800000.25, " + std::to_string(messages) + ", 345000.125, " + b + ", " + b +
             ");";
    }
  }
  // Daily stats recomputed from the files of the days touched.
  sql += "DELETE FROM daily_tick_stats WHERE contract_id = " + std::to_string(contract_id) +
         " AND date IN (SELECT DISTINCT substr(hour_bucket, 1, 10) FROM tick_files WHERE contract_id = " +
         std::to_string(contract_id) + ");";
  sql += "INSERT INTO daily_tick_stats (contract_id, tick_type, date, total_files, total_messages, total_size_bytes, "
         "first_tick, last_tick, min_price, max_price, avg_price, total_volume, vwap, created_at, updated_at) "
         "SELECT contract_id, tick_type, substr(hour_bucket, 1, 10), count(*), sum(message_count), "
         "sum(file_size_bytes), min(start_time), max(end_time), min(min_price), max(max_price), "
         "sum(price_sum) / sum(price_count), sum(total_volume), sum(notional) / sum(total_volume), " +
         std::string(kStamp) + ", " + kStamp + " FROM tick_files WHERE contract_id = " + std::to_string(contract_id) +
         " GROUP BY contract_id, tick_type, substr(hour_bucket, 1, 10);";
  sql += "COMMIT;";
  Exec(sql);
}

void TestCatalog::AddManyFiles(std::int64_t contract_id, int n) {
  Exec("BEGIN");
  auto st = db().Prepare(
      "INSERT INTO tick_files (contract_id, tick_type, hour_bucket, part, file_path, status, start_time, end_time, "
      "file_size_bytes, message_count, compression, min_price, max_price, price_sum, price_count, created_at, "
      "updated_at) VALUES (?1, 'bid_ask', ?2, 1, ?3, 'sealed', ?2, ?4, 1200000, 60000, 'lz4', 100.25, 101.5, "
      "6030000.5, 60000, ?2, ?2)");
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  const TimeUs base = ParseIsoTimestamp("2024-01-01T00:00:00Z").value();
  for (int i = 0; i < n; ++i) {
    TimeUs bucket = base + static_cast<TimeUs>(i) * kUsPerHour;
    std::string b = FormatIsoTimestamp(bucket);
    st->Bind(1, contract_id).Bind(2, std::string_view(b))
        .Bind(3, std::string_view("protobuf/" + std::to_string(contract_id) + "/bid_ask/" + std::to_string(i) + ".pb.lz4"))
        .Bind(4, std::string_view(FormatIsoTimestamp(bucket + kUsPerHour - 1)));
    ASSERT_TRUE(st->Run().ok()) << st->status().ToString();
    st->Reset();
  }
  Exec("COMMIT");
}

std::int64_t TestCatalog::AddMigration(const std::string& type, const std::string& status, const std::string& source,
                                       const std::string& target, const std::string& start,
                                       const std::optional<std::string>& end, const std::string& validation_json) {
  Exec("INSERT INTO migration_events (event_type, event_status, source_instance, target_instance, event_start, "
       "event_end, migration_type, contracts_migrated, validation_results, notes, created_at, updated_at) VALUES (" +
       Q(type) + ", " + Q(status) + ", " + Q(source) + ", " + Q(target) + ", " + Q(start) + ", " + QOpt(end) +
       ", 'blue_green', '[711280073,265598]', " + (validation_json.empty() ? "NULL" : Q(validation_json)) +
       ", NULL, " + Q(start) + ", " + Q(end.value_or(start)) + ")");
  return db().LastInsertRowId();
}

}  // namespace ibr::sync::testing
