// Schema drift: each table description (catalog/table_descriptions.h) against
// the migrations as applied — schema/sqlite/ to a fresh catalog, schema/postgres/
// to a fresh database on the real PostgreSQL — by column names, types,
// nullability and keys. A deliberately wrong copy of a description must be
// caught by both comparisons, so the comparison itself is tested.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/change_tracking.h"
#include "catalog/table_descriptions.h"
#include "pg/named_params.h"
#include "pg/pg_copy_rows.h"
#include "pg_table_sql.h"
#include "pg_test_db.h"
#include "replicated_tables.h"
#include "test_catalog.h"

namespace ibr::sync::testing {
namespace {

using catalog::ColumnDescription;
using catalog::TableDescription;

std::vector<std::string> KeyWords(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

std::string Joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& w : v) s += (s.empty() ? "" : ",") + w;
  return s;
}

std::vector<std::string> SqliteRows(TestCatalog& cat, const std::string& sql) {
  auto st = cat.db().Prepare(sql);
  EXPECT_TRUE(st.ok()) << st.status().ToString() << " " << sql;
  std::vector<std::string> rows;
  while (st.ok() && st->Step()) rows.push_back(st->Text(0));
  return rows;
}

// Differences between the description and the catalog's table, one line each.
std::vector<std::string> SqliteDrift(TestCatalog& cat, const TableDescription& d) {
  const std::string t(d.name);
  std::set<std::string> expected{"change_no INTEGER NOT NULL"};
  for (const ColumnDescription& c : d.columns) {
    const bool not_null = !c.nullable || c.name == d.row_key;
    expected.insert(std::string(c.name) + " " + catalog::SqliteTypeName(c.sqlite_type) + (not_null ? " NOT NULL" : ""));
  }
  std::set<std::string> actual;
  for (auto& r : SqliteRows(cat, "SELECT name || ' ' || type || CASE WHEN \"notnull\" OR pk THEN ' NOT NULL' ELSE '' END "
                                 "FROM pragma_table_info('" + t + "')")) {
    actual.insert(r);
  }
  std::vector<std::string> out;
  for (const auto& e : expected) {
    if (!actual.count(e)) out.push_back(t + ": described column '" + e + "' is not in the SQLite migrations");
  }
  for (const auto& a : actual) {
    if (!expected.count(a)) out.push_back(t + ": SQLite column '" + a + "' is not in the description");
  }
  const auto pk = SqliteRows(cat, "SELECT name FROM pragma_table_info('" + t + "') WHERE pk > 0");
  if (pk != std::vector<std::string>{std::string(d.row_key)}) {
    out.push_back(t + ": row key " + std::string(d.row_key) + " is not the INTEGER PRIMARY KEY (" + Joined(pk) + ")");
  }
  // The natural key: the primary key itself, or a UNIQUE index over exactly its columns.
  const std::string key = Joined(KeyWords(d.natural_key));
  bool unique = key == Joined(pk);
  for (const auto& index : SqliteRows(cat, "SELECT name FROM pragma_index_list('" + t + "') WHERE \"unique\"")) {
    unique |= Joined(SqliteRows(cat, "SELECT name FROM pragma_index_info('" + index + "') ORDER BY seqno")) == key;
  }
  if (!unique) out.push_back(t + ": no UNIQUE (" + key + ") in the SQLite migrations");
  const auto fks = SqliteRows(cat, "SELECT \"from\" || '->' || \"table\" || '.' || \"to\" FROM pragma_foreign_key_list('" +
                                       t + "') WHERE \"table\" = '" + std::string(catalog::kParentTable) + "'");
  const std::vector<std::string> want_fk =
      d.parent_column.empty() ? std::vector<std::string>{}
                              : std::vector<std::string>{std::string(d.parent_column) + "->" +
                                                         std::string(catalog::kParentTable) + ".id"};
  if (fks != want_fk) out.push_back(t + ": parent key " + Joined(want_fk) + " but the migration has " + Joined(fks));
  return out;
}

// Differences between the description and its central table.
std::vector<std::string> PgDrift(const PgTestDb& db, const TableDescription& d) {
  const std::string t(d.central_name);
  const TableSpec spec = SpecFromDescription(d);
  const bool instance = d.name == catalog::kInstanceTable;
  std::set<std::string> expected{"id bigint NOT NULL"};
  if (!instance) {
    expected.insert("server_instance_id bigint NOT NULL");
    expected.insert("sync_pass bigint NOT NULL");
  }
  if (spec.KeyedByLocalIds()) expected.insert("catalog_generation text NOT NULL");
  const ColumnDescription* parent = d.parent_column.empty() ? nullptr : d.Column(d.parent_column);
  if (parent) expected.insert(std::string("collection_session_id bigint") + (d.parent_required ? " NOT NULL" : ""));
  for (const ColumnDescription& c : d.columns) {
    if (c.replicated()) {
      expected.insert(std::string(c.central()) + " " + std::string(c.pg_type) + (c.nullable ? "" : " NOT NULL"));
    }
  }
  for (const auto& c : d.central_only) expected.insert(std::string(c.name) + " " + std::string(c.pg_type));
  std::set<std::string> actual;
  for (auto& r : db.Rows("SELECT attname || ' ' || format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN "
                         "' NOT NULL' ELSE '' END FROM pg_attribute WHERE attrelid = 'public." + t +
                         "'::regclass AND attnum > 0 AND NOT attisdropped")) {
    actual.insert(r);
  }
  std::vector<std::string> out;
  for (const auto& e : expected) {
    if (!actual.count(e)) out.push_back(t + ": described column '" + e + "' is not in the PostgreSQL migrations");
  }
  for (const auto& a : actual) {
    if (!expected.count(a)) out.push_back(t + ": PostgreSQL column '" + a + "' is not in the description");
  }
  // The conflict key the upsert names must be a UNIQUE constraint, in that order.
  std::vector<std::string> key;
  if (!instance) key.push_back("server_instance_id");
  if (spec.KeyedByLocalIds()) key.push_back("catalog_generation");
  for (const auto& k : spec.natural_key) key.emplace_back(d.Column(k)->central());
  const auto uniques = db.Rows(
      "SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM pg_constraint c, unnest(c.conkey) WITH ORDINALITY k(att, n), "
      "pg_attribute a WHERE c.conrelid = 'public." + t + "'::regclass AND c.contype = 'u' AND a.attrelid = c.conrelid "
      "AND a.attnum = k.att GROUP BY c.oid");
  bool found = false;
  for (const auto& u : uniques) found |= u == Joined(key);
  if (!found) out.push_back(t + ": no UNIQUE (" + Joined(key) + ") in the PostgreSQL migrations");
  return out;
}

// A copy of tick_files' description that disagrees with both migrations:
// message_count typed integer centrally and REAL locally, plus a column no migration has.
struct WrongTickFiles {
  std::vector<ColumnDescription> columns;
  TableDescription table;
  WrongTickFiles() : table(*catalog::FindTableDescription("tick_files")) {
    columns.assign(table.columns.begin(), table.columns.end());
    for (auto& c : columns) {
      if (c.name == "message_count") {
        c.pg_type = "integer";
        c.sqlite_type = catalog::SqliteType::kReal;
      }
    }
    columns.push_back({"not_in_any_migration", catalog::SqliteType::kText, "text", true});
    table.columns = columns;
  }
};

TEST(SchemaDrift, SqliteMigrationsMatchTheDescriptions) {
  auto cat = TestCatalog::Create(TempDir("drift"), {"production-drift"});
  ASSERT_EQ(catalog::TableDescriptions().size(), 11u);
  for (const TableDescription& d : catalog::TableDescriptions()) {
    EXPECT_EQ(SqliteDrift(*cat, d), std::vector<std::string>{}) << d.name;
  }
}

TEST(SchemaDrift, SqliteComparisonCatchesAWrongDescription) {
  auto cat = TestCatalog::Create(TempDir("drift-wrong"), {"production-drift"});
  WrongTickFiles wrong;
  const auto drift = SqliteDrift(*cat, wrong.table);
  const std::set<std::string> got(drift.begin(), drift.end());
  EXPECT_EQ(got, (std::set<std::string>{
                     "tick_files: SQLite column 'message_count INTEGER NOT NULL' is not in the description",
                     "tick_files: described column 'message_count REAL NOT NULL' is not in the SQLite migrations",
                     "tick_files: described column 'not_in_any_migration TEXT' is not in the SQLite migrations"}));
  TableDescription bad_key = *catalog::FindTableDescription("reject_counts");
  bad_key.natural_key = "reason";
  bad_key.parent_column = "";
  EXPECT_EQ(SqliteDrift(*cat, bad_key),
            (std::vector<std::string>{"reject_counts: no UNIQUE (reason) in the SQLite migrations",
                                      "reject_counts: parent key  but the migration has "
                                      "collection_session_id->collection_sessions.id"}));
}

class SchemaDriftPg : public PgTest {};

TEST_F(SchemaDriftPg, PostgresMigrationsMatchTheDescriptions) {
  if (!db_) return;
  for (const TableDescription& d : catalog::TableDescriptions()) {
    EXPECT_EQ(PgDrift(*db_, d), std::vector<std::string>{}) << d.name;
  }
}

TEST_F(SchemaDriftPg, PostgresComparisonCatchesAWrongDescription) {
  if (!db_) return;
  WrongTickFiles wrong;
  const auto drift = PgDrift(*db_, wrong.table);
  const std::set<std::string> got(drift.begin(), drift.end());
  EXPECT_EQ(got, (std::set<std::string>{
                     "tick_files: PostgreSQL column 'message_count bigint NOT NULL' is not in the description",
                     "tick_files: described column 'message_count integer NOT NULL' is not in the PostgreSQL migrations",
                     "tick_files: described column 'not_in_any_migration text' is not in the PostgreSQL migrations"}));
  TableDescription bad_key = *catalog::FindTableDescription("daily_tick_stats");
  bad_key.natural_key = "contract_id date";
  EXPECT_EQ(PgDrift(*db_, bad_key),
            (std::vector<std::string>{
                "daily_tick_stats: no UNIQUE (server_instance_id,contract_id,date) in the PostgreSQL migrations"}));
}

// Adding a replicated table is one description plus one migration per
// database; everything else (triggers, tombstone key, ib-sync's columns, the
// COPY stage and the upsert) comes from the description. A test table, kept out
// of the shipped schema:
constexpr ColumnDescription kTestBarColumns[] = {
    {"id",         catalog::SqliteType::kInteger, ""},
    {"contract_id", catalog::SqliteType::kInteger, "bigint"},
    {"bar_start",  catalog::SqliteType::kText,    "timestamp with time zone"},
    {"open",       catalog::SqliteType::kReal,    "double precision"},
    {"close",      catalog::SqliteType::kReal,    "double precision", true},
    {"volume",     catalog::SqliteType::kInteger, "bigint"},
    {"updated_at", catalog::SqliteType::kText,    "timestamp with time zone"},
};
constexpr TableDescription kTestBars{"test_bars", "test_bars", 99, "id", "contract_id bar_start", "", false,
                                     "updated_at", kTestBarColumns};
constexpr const char* kTestBarsSqliteMigration =
    "CREATE TABLE test_bars (id INTEGER PRIMARY KEY, contract_id INTEGER NOT NULL, bar_start TEXT NOT NULL, "
    "open REAL NOT NULL, close REAL, volume INTEGER NOT NULL, updated_at TEXT NOT NULL, "
    "change_no INTEGER NOT NULL DEFAULT 0, UNIQUE (contract_id, bar_start));";
constexpr const char* kTestBarsPgMigration =
    "CREATE TABLE test_bars (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, server_instance_id BIGINT "
    "NOT NULL REFERENCES server_instances(id) ON DELETE CASCADE, contract_id BIGINT NOT NULL, bar_start "
    "TIMESTAMPTZ NOT NULL, open DOUBLE PRECISION NOT NULL, close DOUBLE PRECISION, volume BIGINT NOT NULL, "
    "updated_at TIMESTAMPTZ NOT NULL, sync_pass BIGINT NOT NULL DEFAULT 0, "
    "CONSTRAINT test_bars_natural_key UNIQUE (server_instance_id, contract_id, bar_start))";

TEST(NewReplicatedTable, OneDescriptionAndOneSqliteMigrationGiveTrackedRows) {
  auto cat = TestCatalog::Create(TempDir("drift-new"), {"production-drift"});
  cat->Exec(std::string(kTestBarsSqliteMigration) + catalog::ChangeTrackingSqlFor(kTestBars));
  EXPECT_EQ(SqliteDrift(*cat, kTestBars), std::vector<std::string>{});
  cat->Exec("INSERT INTO test_bars (contract_id, bar_start, open, volume, updated_at) "
            "VALUES (7, '2025-03-10T14:00:00.000000Z', 1.5, 10, '2025-03-10T14:01:00.000000Z')");
  EXPECT_EQ(SqliteRows(*cat, "SELECT change_no > 0 FROM test_bars"), std::vector<std::string>{"1"});
  cat->Exec("DELETE FROM test_bars");
  EXPECT_EQ(SqliteRows(*cat, "SELECT row_key FROM tombstones WHERE table_name = 'test_bars'"),
            std::vector<std::string>{R"({"contract_id":7,"bar_start":"2025-03-10T14:00:00.000000Z"})"});
}

TEST_F(SchemaDriftPg, OneDescriptionAndOnePostgresMigrationGiveUpserts) {
  if (!db_) return;
  db_->Exec(kTestBarsPgMigration);
  EXPECT_EQ(PgDrift(*db_, kTestBars), std::vector<std::string>{});
  db_->Exec("INSERT INTO server_instances (id, instance_name, server_version, host, storage_path, environment) "
            "VALUES (5, 'production-new', 'v', 'h', '/s', 'production')");
  const TableSpec spec = SpecFromDescription(kTestBars);
  const PgTableSql sql = BuildPgTableSql(spec);
  pqxx::connection conn(db_->owner_dsn());
  for (const char* close : {"", "2.5"}) {  // the second pass updates the same natural key
    pqxx::work tx(conn);
    tx.exec0(sql.create_stage);
    const pg::TextRow row{"7", "2025-03-10T14:00:00.000000Z", "1.5",
                          *close ? pg::TextValue(close) : std::nullopt, "10", "2025-03-10T14:01:00.000000Z"};
    ASSERT_TRUE(pg::CopyRows(tx, sql.stage_table, {row}).ok());
    auto upsert = pg::BindNamed(sql.upsert, {{"instance", "5"}, {"pass", "1"}, {"generation", "g"}});
    ASSERT_TRUE(upsert.ok()) << upsert.status().ToString();
    auto upserted = pg::ExecBound(tx, *upsert, "upsert test_bars");
    ASSERT_TRUE(upserted.ok()) << upserted.status().ToString();
    EXPECT_EQ(upserted->affected_rows(), 1u) << sql.upsert;
    tx.commit();
  }
  EXPECT_EQ(db_->Rows("SELECT server_instance_id, contract_id, open, close, volume, sync_pass FROM test_bars"),
            std::vector<std::string>{"5|7|1.5|2.5|10|1"});
}

}  // namespace
}  // namespace ibr::sync::testing
