// sync_bench: ib-sync's catch-up rate after an outage (catalog rows/s into a real PostgreSQL) against
// a row-by-row INSERT ... ON CONFLICT baseline of the same rows in the same run, and the
// seal-to-central latency of the daemon loop (a file sealed in the catalog -> visible centrally).
//
//   eval "$(tests/pg/pg_server.sh start)"          # or any owner DSN with CREATEDB + CREATEROLE
//   ./build/bench/sync_bench [--rows 50000] [--batch-rows 5000] [--seals 10] [--interval-ms 1000]
//   tests/pg/pg_server.sh stop "$IBR_TEST_PG_DIR"
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog.h"
#include "catalog_reader.h"
#include "common/file_system.h"
#include "common/time_text.h"
#include "pg_central_store.h"
#include "pg_table_sql.h"
#include "schema_installer.h"
#include "sleeper.h"
#include "storage/layout.h"
#include "sync_agent.h"

using namespace ibr;
using namespace ibr::sync;
using Wall = std::chrono::steady_clock;

namespace {

double Seconds(Wall::time_point a, Wall::time_point b) { return std::chrono::duration<double>(b - a).count(); }

void Die(const std::string& what) {
  std::fprintf(stderr, "sync_bench: %s\n", what.c_str());
  std::exit(1);
}

void Check(const Status& s, const char* what) {
  if (!s.ok()) Die(std::string(what) + ": " + s.ToString());
}

// A catalog holding one instance, one session and `rows` sealed tick files (+ their contracts).
std::string MakeCatalog(const std::string& root, int rows) {
  std::filesystem::remove_all(root);
  auto cat = catalog::Catalog::Open(storage::CatalogPath(root), catalog::Catalog::Mode::kReadWrite,
                                    SystemClock::Instance());
  if (!cat.ok()) Die(cat.status().ToString());
  auto& db = (*cat)->db();
  Check(db.Exec("BEGIN;"
                "INSERT INTO server_instances (instance_name, server_version, host, port, storage_path, environment,"
                " created_at, updated_at) VALUES ('bench-host', '0.1.0', 'bench', 8002, '" + root +
                "', 'production', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z');"
                "INSERT INTO collection_sessions (server_instance_id, session_start, status, created_at, updated_at)"
                " VALUES (1, '2024-01-01T00:00:00.000000Z', 'active', '2024-01-01T00:00:00.000000Z',"
                " '2024-01-01T00:00:00.000000Z');"),
        "catalog");
  auto st = db.Prepare(
      "INSERT INTO tick_files (contract_id, tick_type, hour_bucket, part, file_path, status, start_time, end_time,"
      " file_size_bytes, message_count, compression, checksum, first_sequence, last_sequence, min_price, max_price,"
      " price_sum, price_count, created_at, updated_at) VALUES (?1, ?2, ?3, 1, ?4, 'sealed', ?3, ?5, 1200000,"
      " 60000, 'lz4', 'xxh32:0badf00d', 1, 60000, 100.25, 101.5, 6030000.5, 60000, ?3, ?3)");
  if (!st.ok()) Die(st.status().ToString());
  const char* types[] = {"bid_ask", "last", "all_last", "mid_point"};
  const TimeUs base = ParseIsoTimestamp("2024-01-01T00:00:00Z").value();
  for (int i = 0; i < rows; ++i) {
    const std::int64_t contract = 265598 + i % 10;
    const char* tt = types[(i / 10) % 4];
    const TimeUs bucket = base + static_cast<TimeUs>(i / 40) * kUsPerHour;
    const std::string b = FormatIsoTimestamp(bucket);
    const std::string path = "protobuf/" + std::to_string(contract) + "/" + tt + "/" + b.substr(0, 13) + ".pb.lz4";
    const std::string end = FormatIsoTimestamp(bucket + kUsPerHour - 1);
    st->Bind(1, contract).Bind(2, tt).Bind(3, std::string_view(b)).Bind(4, std::string_view(path))
        .Bind(5, std::string_view(end));
    Check(st->Run(), "insert file");
    st->Reset();
  }
  Check(db.Exec("COMMIT"), "commit");
  return (*cat)->generation_id();
}

// Baseline: the same rows, one INSERT ... ON CONFLICT statement per row, 5,000 per transaction.
double RowByRow(const std::string& dsn, const std::string& catalog_path, int* rows_out) {
  auto reader = CatalogReader::Open(catalog_path);
  if (!reader.ok()) Die(reader.status().ToString());
  pqxx::connection c(dsn);
  {
    pqxx::work tx(c);
    tx.exec("INSERT INTO server_instances (instance_name, server_version, host, port, storage_path, environment) "
            "VALUES ('bench-baseline', '0', 'bench', 8002, '/x', 'production') ON CONFLICT DO NOTHING");
    tx.commit();
  }
  const std::string id = pqxx::nontransaction(c).exec1("SELECT id FROM server_instances WHERE instance_name = "
                                                       "'bench-baseline'")[0].as<std::string>();
  const TableSpec& tf = *FindTable("tick_files");
  std::string cols, updates;
  for (const auto& col : tf.columns) {
    cols += ", " + col.name;
    updates += std::string(updates.empty() ? "" : ", ") + col.name + " = EXCLUDED." + col.name;
  }
  int rows = 0;
  auto t0 = Wall::now();
  std::int64_t after = 0;
  for (;;) {
    auto batch = (*reader)->ReadBatch(after, 5000);
    if (!batch.ok()) Die(batch.status().ToString());
    pqxx::work tx(c);
    for (const auto& t : batch->tables) {
      if (t.table != &tf) continue;
      for (const Row& r : t.rows) {
        std::string vals;
        for (std::size_t i = 0; i < r.size(); ++i) vals += ", " + (r[i] ? tx.quote(*r[i]) : std::string("NULL"));
        tx.exec0("INSERT INTO tick_files (server_instance_id" + cols + ") VALUES (" + id + vals +
                 ") ON CONFLICT (server_instance_id, contract_id, tick_type, hour_bucket, part) DO UPDATE SET " +
                 updates);
        ++rows;
      }
    }
    tx.commit();
    after = batch->to_change_no;
    if (batch->reaches_end) break;
  }
  *rows_out = rows;
  return Seconds(t0, Wall::now());
}

// A just-closed session's backend may linger a moment; DROP ... FORCE may only end the owner's own.
void DropDatabase(const std::string& owner, const std::string& db) {
  for (int i = 0; i < 100; ++i) {
    try {
      pqxx::connection c(owner);
      pqxx::nontransaction(c).exec0("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      return;
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  std::fprintf(stderr, "sync_bench: could not drop database %s\n", db.c_str());
}

// The reader's share of the catch-up: catalog rows/s read and converted, nothing sent.
double ReadOnlyRate(const std::string& catalog_path, std::size_t batch_rows) {
  auto reader = CatalogReader::Open(catalog_path);
  if (!reader.ok()) Die(reader.status().ToString());
  auto t0 = Wall::now();
  std::size_t rows = 0;
  for (std::int64_t after = 0;;) {
    auto b = (*reader)->ReadBatch(after, batch_rows);
    if (!b.ok()) Die(b.status().ToString());
    rows += b->RowCount();
    after = b->to_change_no;
    if (b->reaches_end) break;
  }
  return static_cast<double>(rows) / Seconds(t0, Wall::now());
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  int rows = 50000, batch_rows = 5000, seals = 10, interval_ms = 1000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    int v = std::atoi(argv[i + 1]);
    if (a == "--rows") rows = v;
    else if (a == "--batch-rows") batch_rows = v;
    else if (a == "--seals") seals = v;
    else if (a == "--interval-ms") interval_ms = v;
    else Die("unknown option " + a);
  }
  const char* owner = std::getenv("IBR_TEST_PG_DSN");
  if (!owner) Die("set IBR_TEST_PG_DSN (eval \"$(tests/pg/pg_server.sh start)\")");
  const std::string db = "ibr_bench_" + std::to_string(::getpid());
  pqxx::nontransaction(*std::make_unique<pqxx::connection>(owner)).exec0("CREATE DATABASE " + db);
  const std::string owner_db = std::string(owner) + " dbname=" + db;
  auto installed = InstallSchema(owner_db, {"ibr-bench-sync-pw", std::nullopt});
  if (!installed.ok()) Die(installed.status().ToString());
  const std::string sync_dsn = std::string(owner) + " user=ib_sync password=ibr-bench-sync-pw dbname=" + db;

  const std::string root = "/tmp/ibr-sync-bench-" + std::to_string(::getpid());
  auto t0 = Wall::now();
  MakeCatalog(root, rows);
  std::printf("catalog: %d tick files written in %.2f s\n", rows, Seconds(t0, Wall::now()));

  // 1. Catch-up: everything the catalog gathered while PostgreSQL was away, in one pass.
  PgCentralStore store(sync_dsn);
  RealSleeper sleeper;
  AgentOptions o;
  o.catalog_path = storage::CatalogPath(root);
  o.batch_rows = static_cast<std::size_t>(batch_rows);
  o.interval = static_cast<TimeUs>(interval_ms) * 1000;
  SyncAgent agent(o, store, SystemClock::Instance(), sleeper, PosixFileSystem::Instance(), nullptr);
  Check(store.LoadPosition("bench-host").status(), "connect");  // connection + staging tables outside the timing
  t0 = Wall::now();
  auto pass = agent.SyncPending();
  const double catchup_s = Seconds(t0, Wall::now());
  if (!pass.ok()) Die(pass.status().ToString());
  const double catchup_rate = static_cast<double>(pass->rows) / catchup_s;

  int baseline_rows = 0;
  const double baseline_s = RowByRow(owner_db, o.catalog_path, &baseline_rows);
  const double baseline_rate = baseline_rows / baseline_s;

  std::printf("\n| measure | ib-sync (COPY + one upsert per batch) | baseline (INSERT per row) | ratio |\n");
  std::printf("|---|---:|---:|---:|\n");
  std::printf("| catch-up, catalog rows/s (%d rows, %d per batch) | %.0f | %.0f | %.1fx |\n", static_cast<int>(pass->rows),
              batch_rows, catchup_rate, baseline_rate, catchup_rate / baseline_rate);
  std::printf("| of which: catalog read + conversion alone, rows/s | %.0f | – | |\n",
              ReadOnlyRate(o.catalog_path, o.batch_rows));

  // 2. Seal-to-central latency with the daemon loop running (poll interval interval_ms).
  std::thread loop([&] { agent.Run(); });
  auto cat = catalog::Catalog::Open(o.catalog_path, catalog::Catalog::Mode::kReadWrite, SystemClock::Instance());
  if (!cat.ok()) Die(cat.status().ToString());
  pqxx::connection watch(owner_db);
  std::vector<double> lat;
  for (int i = 0; i < seals; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(137 * (i % 7) + 50));  // spread over the poll phase
    const std::string path = "protobuf/sealed-" + std::to_string(i) + ".pb.lz4";
    auto s0 = Wall::now();
    Check((*cat)->db().Exec("UPDATE tick_files SET file_path = '" + path + "', updated_at = '" +
                            FormatIsoTimestamp(SystemClock::Instance().Now()) + "' WHERE id = " + std::to_string(i + 1)),
          "seal");
    for (;;) {
      pqxx::nontransaction q(watch);
      if (!q.exec("SELECT 1 FROM tick_files WHERE file_path = " + q.quote(path)).empty()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    lat.push_back(Seconds(s0, Wall::now()));
  }
  sleeper.Stop();
  loop.join();
  std::sort(lat.begin(), lat.end());
  std::printf("| seal-to-central latency, s (median / max of %d, poll every %d ms) | %.3f / %.3f | – | |\n", seals,
              interval_ms, lat[lat.size() / 2], lat.back());

  cat->reset();
  store.Disconnect();  // ib_sync's session: the owner may not terminate it
  DropDatabase(owner, db);
  std::filesystem::remove_all(root);
  return 0;
}
