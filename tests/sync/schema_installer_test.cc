// init-schema against a real PostgreSQL: idempotent and versioned, refuses a
// newer database, comments everything, and the two roles get exactly their rights.
#include "schema_installer.h"

#include <gtest/gtest.h>

#include "pg_central_store.h"
#include "pg_test_db.h"

namespace ibr::sync::testing {
namespace {

// Runs `sql` as `dsn`; returns "" on success, else the SQLSTATE (or the message when there is none).
std::string TryAs(const std::string& dsn, const std::string& sql) {
  try {
    pqxx::connection c(dsn);
    pqxx::work tx(c);
    tx.exec(sql);
    tx.commit();
    return "";
  } catch (const pqxx::insufficient_privilege&) {
    return "42501";  // libpqxx 6.4 leaves sqlstate() empty here
  } catch (const pqxx::sql_error& e) {
    return e.sqlstate().empty() ? std::string(e.what()) : e.sqlstate();
  } catch (const std::exception& e) {
    return e.what();
  }
}

TEST(SchemaInstaller, IsIdempotentAndVersioned) {
  IBR_PG_TEST_PRELUDE(owner);
  auto db = PgTestDb::Create(owner, /*with_schema=*/false);
  auto first = InstallSchema(db->owner_dsn(), {});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->from_version, 0);
  EXPECT_EQ(first->to_version, BinarySchemaVersion());
  EXPECT_EQ(first->applied.front(), "0001_initial.sql");
  auto again = InstallSchema(db->owner_dsn(), {});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->from_version, BinarySchemaVersion());
  EXPECT_EQ(db->One("SELECT count(*) FROM schema_migrations"), std::to_string(BinarySchemaVersion()));
}

TEST(SchemaInstaller, ANewerDatabaseIsRefusedNamingTheVersion) {
  IBR_PG_TEST_PRELUDE(owner);
  auto db = PgTestDb::Create(owner);
  db->Exec("INSERT INTO schema_migrations (version, name) VALUES (99, '0099_future.sql')");
  auto r = InstallSchema(db->owner_dsn(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("version 99"), std::string::npos) << r.status().message();
  PgCentralStore store(db->sync_dsn());
  auto p = store.LoadPosition("x");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("99"), std::string::npos) << p.status().message();
}

TEST(SchemaInstaller, AgentsRefuseADatabaseWithoutTheSchema) {
  IBR_PG_TEST_PRELUDE(owner);
  auto db = PgTestDb::Create(owner, /*with_schema=*/false);
  PgCentralStore store(db->owner_dsn());
  auto p = store.LoadPosition("x");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(p.status().message().find("ib-sync init-schema"), std::string::npos) << p.status().message();
}

TEST(SchemaInstaller, EveryTableColumnAndFunctionIsCommented) {
  IBR_PG_TEST_PRELUDE(owner);
  auto db = PgTestDb::Create(owner);
  EXPECT_EQ(db->Rows("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm') "
                     "AND obj_description(c.oid, 'pg_class') IS NULL"),
            std::vector<std::string>{});
  EXPECT_EQ(db->Rows("SELECT c.relname || '.' || a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                     "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
                     "AND c.relkind IN ('r', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped "
                     "AND col_description(c.oid, a.attnum) IS NULL"),
            std::vector<std::string>{});
  EXPECT_EQ(db->Rows("SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                     "WHERE n.nspname = 'public' AND obj_description(p.oid, 'pg_proc') IS NULL"),
            std::vector<std::string>{});
  EXPECT_GE(std::stoi(db->One("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                              "WHERE n.nspname = 'public'")),
            10);
}

TEST(SchemaInstaller, TheReporterOnlyReads) {
  IBR_PG_TEST_PRELUDE(owner);
  auto db = PgTestDb::Create(owner);
  const std::string r = db->reporter_dsn();
  EXPECT_EQ(TryAs(r, "SELECT * FROM tick_files, sync_positions, contracts, schema_migrations"), "");
  EXPECT_EQ(TryAs(r, "SELECT * FROM servers_at(711280073, now())"), "");
  EXPECT_EQ(TryAs(r, "SELECT * FROM collection_gaps(711280073, now() - interval '1 day', now())"), "");
  EXPECT_EQ(TryAs(r, "SELECT * FROM get_files_for_range(1, 'bid_ask', now(), now())"), "");
  EXPECT_EQ(TryAs(r, "INSERT INTO contracts (contract_id) VALUES (1)"), "42501");
  EXPECT_EQ(TryAs(r, "DELETE FROM tick_files"), "42501");
  EXPECT_EQ(TryAs(r, "SELECT refresh_contracts('{1}')"), "42501");
  EXPECT_EQ(TryAs(r, "CREATE TABLE mine (x int)"), "42501");
}

TEST(SchemaInstaller, TheAgentRoleWritesRowsButNotTheSchema) {
  IBR_PG_TEST_PRELUDE(owner);
  auto db = PgTestDb::Create(owner);
  const std::string s = db->sync_dsn();
  EXPECT_EQ(TryAs(s, "SELECT max(version) FROM schema_migrations"), "");
  EXPECT_EQ(TryAs(s, "CREATE TEMP TABLE staging (x int)"), "");
  EXPECT_EQ(TryAs(s, "DELETE FROM tick_files"), "");
  EXPECT_EQ(TryAs(s, "CREATE TABLE mine (x int)"), "42501");
  EXPECT_EQ(TryAs(s, "DELETE FROM server_instances"), "42501");
  EXPECT_EQ(TryAs(s, "TRUNCATE tick_files"), "42501");
  EXPECT_EQ(TryAs(s, "INSERT INTO schema_migrations (version, name) VALUES (5, 'x')"), "42501");
  EXPECT_EQ(TryAs(s, "DROP FUNCTION servers_at(bigint, timestamptz)"), "42501");
}

}  // namespace
}  // namespace ibr::sync::testing
