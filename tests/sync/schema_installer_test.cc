// init-schema against a real PostgreSQL: idempotent and versioned, refuses a
// newer database, comments everything, and the two roles get exactly their rights.
#include "schema_installer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "ibr_postgres_schema.h"
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

// init-schema (all migrations), then again: the second run must apply nothing.
// Returns what the first run did.
InstallReport InstallTwice(const PgTestDb& db) {
  auto first = InstallSchema(db.owner_dsn(), {});
  EXPECT_TRUE(first.ok()) << first.status().ToString();
  auto again = InstallSchema(db.owner_dsn(), {});
  EXPECT_TRUE(again.ok()) << again.status().ToString();
  if (again.ok()) {
    EXPECT_EQ(again->applied, std::vector<std::string>{});
    EXPECT_EQ(again->from_version, BinarySchemaVersion());
  }
  return first.ok() ? *first : InstallReport{};
}

TEST(SchemaInstaller, IsIdempotentAndVersioned) {
  IBR_PG_TEST_PRELUDE(owner);
  auto db = PgTestDb::Create(owner, /*with_schema=*/false);
  const InstallReport first = InstallTwice(*db);
  EXPECT_EQ(first.from_version, 0);
  EXPECT_EQ(first.to_version, BinarySchemaVersion());
  std::vector<std::string> files;
  for (const auto& f : schema::postgres::Files()) files.emplace_back(f.name);
  EXPECT_EQ(first.applied, files);
  EXPECT_EQ(files.front(), "0001_initial.sql");
  EXPECT_EQ(db->One("SELECT count(*) FROM schema_migrations"), std::to_string(files.size()));
  EXPECT_EQ(db->One("SELECT max(version) FROM schema_migrations"), std::to_string(BinarySchemaVersion()));
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

// What each role may do: per statement, "" (allowed) or the SQLSTATE it fails with.
TEST(SchemaInstaller, EachRoleHasExactlyItsRights) {
  IBR_PG_TEST_PRELUDE(owner);
  auto db = PgTestDb::Create(owner);
  struct Case {
    bool reporter;  // else ib_sync
    const char* sql;
    const char* outcome;
  };
  const Case cases[] = {
      {true, "SELECT * FROM tick_files, sync_positions, contracts, schema_migrations, catalog_generations", ""},
      {true, "SELECT * FROM servers_at(711280073, now())", ""},
      {true, "SELECT * FROM collection_gaps(711280073, now() - interval '1 day', now())", ""},
      {true, "SELECT * FROM get_files_for_range(1, 'bid_ask', now(), now())", ""},
      {true, "INSERT INTO contracts (contract_id) VALUES (1)", "42501"},
      {true, "DELETE FROM tick_files", "42501"},
      {true, "SELECT refresh_contracts('{1}')", "42501"},
      {true, "SELECT begin_generation(1, 'x')", "42501"},
      {true, "CREATE TABLE mine (x int)", "42501"},
      {false, "SELECT max(version) FROM schema_migrations", ""},
      {false, "CREATE TEMP TABLE staging (x int)", ""},
      {false, "DELETE FROM tick_files", ""},
      {false, "SELECT sweep_instance(1, 1, 'x')", ""},
      {false, "SELECT begin_generation(1, 'x')", "23503"},  // allowed; no instance 1
      {false, "CREATE TABLE mine (x int)", "42501"},
      {false, "DELETE FROM server_instances", "42501"},
      {false, "TRUNCATE tick_files", "42501"},
      {false, "INSERT INTO schema_migrations (version, name) VALUES (5, 'x')", "42501"},
      {false, "DROP FUNCTION servers_at(bigint, timestamptz)", "42501"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(TryAs(c.reporter ? db->reporter_dsn() : db->sync_dsn(), c.sql), c.outcome)
        << (c.reporter ? "ib_reporter: " : "ib_sync: ") << c.sql;
  }
}

// The schema as PostgreSQL holds it: columns, constraints, indexes, functions,
// views, comments and grants, one line each, sorted.
std::vector<std::string> Fingerprint(const PgTestDb& db) {
  return db.Rows(R"sql(SELECT replace(replace(f, current_user::text, 'OWNER'), E'\n', ' \n ') FROM (
    SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' #' ||
           a.attnum || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END ||
           COALESCE(' default ' || pg_get_expr(d.adbin, d.adrelid), '') || COALESCE(' identity ' || NULLIF(a.attidentity::text, ''), '') ||
           COALESCE(' -- ' || col_description(c.oid, a.attnum), '')
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v') AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'relation ' || c.relname || ' ' || c.relkind::text || COALESCE(' -- ' || obj_description(c.oid, 'pg_class'), '') ||
           COALESCE(' acl ' || array_to_string(c.relacl, ','), '') ||
           CASE WHEN c.relkind = 'v' THEN ' ' || pg_get_viewdef(c.oid) ELSE '' END
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'S')
    UNION ALL
    SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT 'function ' || pg_get_functiondef(p.oid) || COALESCE(' -- ' || obj_description(p.oid, 'pg_proc'), '') ||
           COALESCE(' acl ' || array_to_string(p.proacl, ','), '')
      FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t
      JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
    ) AS x(f) ORDER BY 1)sql");
}

// Version 1 as it was first released (tests/sync/data/schema_v1.txt, made from
// the original 0001_initial.sql): a database made by today's 0001 is the same.
TEST(SchemaInstaller, Version1IsTheSchemaItWasWhenReleased) {
  IBR_PG_TEST_PRELUDE(owner);
  auto db = PgTestDb::Create(owner, /*with_schema=*/false);
  auto v1 = InstallSchema(db->owner_dsn(), {}, 1);
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  const std::vector<std::string> now = Fingerprint(*db);
  const std::string path = std::string(IBR_SOURCE_DIR) + "/tests/sync/data/schema_v1.txt";
  if (std::getenv("IBR_WRITE_SCHEMA_V1")) {  // how the file was made
    std::ofstream out(path);
    for (const auto& line : now) out << line << "\n";
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::vector<std::string> released;
  for (std::string line; std::getline(in, line);) released.push_back(line);
  ASSERT_EQ(now.size(), released.size());
  for (std::size_t i = 0; i < now.size(); ++i) EXPECT_EQ(now[i], released[i]);
}

TEST(SchemaInstaller, UpgradesAVersion1DatabaseKeepingItsRows) {
  IBR_PG_TEST_PRELUDE(owner);
  auto fresh = PgTestDb::Create(owner);
  auto old = PgTestDb::Create(owner, /*with_schema=*/false);
  auto v1 = InstallSchema(old->owner_dsn(), {}, 1);
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  ASSERT_EQ(v1->to_version, 1);
  // What a version-1 ib-sync had written: one instance, its position, a session with a contract.
  old->Exec(
      "INSERT INTO server_instances (id, instance_name, server_version, host, storage_path, environment) "
      "VALUES (7, 'production-old', '0.1.0', 'collector1', '/srv/ib', 'production');"
      "INSERT INTO sync_positions (server_instance_id, catalog_generation, last_change_no) VALUES (7, 'gen-old', 5);"
      "INSERT INTO collection_sessions (id, server_instance_id, local_id, session_start, session_end, status) "
      "VALUES (3, 7, 1, '2025-03-10 13:00+00', '2025-03-10 15:00+00', 'completed');"
      "INSERT INTO session_contracts (server_instance_id, collection_session_id, local_session_id, contract_id, "
      "first_message_time, last_message_time) "
      "VALUES (7, 3, 1, 711280073, '2025-03-10 13:00:05+00', '2025-03-10 14:59:58+00')");

  const InstallReport up = InstallTwice(*old);
  EXPECT_EQ(up.from_version, 1);
  EXPECT_EQ(up.to_version, BinarySchemaVersion());
  std::vector<std::string> after_v1;
  for (const auto& f : schema::postgres::Files()) after_v1.emplace_back(f.name);
  after_v1.erase(after_v1.begin());  // 0001
  EXPECT_EQ(up.applied, after_v1);

  EXPECT_EQ(old->Rows("SELECT local_id, catalog_generation FROM collection_sessions"), (std::vector<std::string>{"1|gen-old"}));
  EXPECT_EQ(old->Rows("SELECT catalog_generation FROM session_contracts"), (std::vector<std::string>{"gen-old"}));
  EXPECT_EQ(old->Rows("SELECT server_instance_id, catalog_generation FROM catalog_generations"),
            (std::vector<std::string>{"7|gen-old"}));
  EXPECT_EQ(old->Rows("SELECT instance_name, coverage_start, coverage_end FROM "
                      "contract_timeline(711280073, '2025-03-10 12:00+00', '2025-03-10 16:00+00')"),
            // no config snapshot (no live upstream known): first to last stored tick
            (std::vector<std::string>{"production-old|2025-03-10 13:00:05+00|2025-03-10 14:59:58+00"}));
  // An upgraded database is the same schema as a new one.
  EXPECT_EQ(Fingerprint(*old), Fingerprint(*fresh));
}

}  // namespace
}  // namespace ibr::sync::testing
