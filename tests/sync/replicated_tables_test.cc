// The table descriptions (replicated_tables.cc) against the real schemas: every
// column exists in the recorder's catalog, keys and references name columns of
// the table, and the central tables hold what the upserts write.
#include "replicated_tables.h"

#include <gtest/gtest.h>

#include <set>

#include "pg/named_params.h"
#include "pg_table_sql.h"
#include "pg_test_db.h"
#include "test_catalog.h"

namespace ibr::sync::testing {
namespace {

std::set<std::string> CatalogColumns(TestCatalog& cat, const std::string& table) {
  auto st = cat.db().Prepare("SELECT name FROM pragma_table_info('" + table + "')");
  EXPECT_TRUE(st.ok()) << st.status().ToString();
  std::set<std::string> names;
  while (st.ok() && st->Step()) names.insert(st->Text(0));
  return names;
}

TEST(ReplicatedTables, DescribeTheCatalogsColumns) {
  auto cat = TestCatalog::Create(TempDir("tables"), {"production-tables"});
  std::vector<const TableSpec*> all{&InstanceTable(), &TombstoneTable()};
  for (const auto& t : ReplicatedTables()) all.push_back(&t);
  ASSERT_EQ(all.size(), 12u);
  for (const TableSpec* t : all) {
    const auto columns = CatalogColumns(*cat, t->name);
    ASSERT_FALSE(columns.empty()) << t->name;
    for (const auto& c : t->columns) EXPECT_TRUE(columns.count(c.name)) << t->name << "." << c.name;
    for (const auto& k : t->natural_key) EXPECT_GE(t->ColumnIndex(k), 0) << t->name << " key " << k;
    if (!t->session_column.empty()) {
      EXPECT_GE(t->ColumnIndex(t->session_column), 0) << t->name;
    }
    EXPECT_GE(t->ColumnIndex(t->change_time_column), 0) << t->name;
  }
  EXPECT_EQ(ReplicatedTables().front().name, "collection_sessions");  // parents first
  EXPECT_TRUE(FindTable("outages")->session_required);
  EXPECT_FALSE(FindTable("stream_events")->session_required);
  EXPECT_TRUE(FindTable("collection_sessions")->columns[2].nullable);  // session_end
  EXPECT_EQ(FindTable("tick_files")->columns[15].type, ColumnType::kReal);  // min_price
}

TEST(ReplicatedTables, CentralTablesHoldWhatTheUpsertsWrite) {
  IBR_PG_TEST_PRELUDE(owner);
  auto db = PgTestDb::Create(owner);
  pqxx::connection conn(db->owner_dsn());
  for (const auto& s : AllPgTableSql()) {
    // Run the upsert and the tombstone delete on an empty stage: every column, cast and the
    // conflict key must exist centrally, and every named parameter must be bound.
    pqxx::work tx(conn);
    tx.exec0(s.create_stage);
    std::map<std::string, pg::TextValue> values{{"instance", "1"}, {"pass", "1"}, {"generation", "g"}};
    for (std::size_t k = 0; k < s.table->natural_key.size(); ++k) values["k" + std::to_string(k)] = "{}";
    for (const std::string* sql : {&s.upsert, &s.delete_by_key}) {
      auto bound = pg::BindNamed(*sql, values);
      ASSERT_TRUE(bound.ok()) << bound.status().ToString();
      auto r = pg::ExecBound(tx, *bound, "run " + s.table->name + " SQL");
      EXPECT_TRUE(r.ok()) << r.status().ToString() << ": " << *sql;
    }
  }
}

}  // namespace
}  // namespace ibr::sync::testing
