#include "pg_test_db.h"

#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "schema_installer.h"

namespace ibr::sync::testing {

std::optional<std::string> OwnerDsnOrSkip() {
  const char* dsn = std::getenv("IBR_TEST_PG_DSN");
  if (dsn && *dsn) return std::string(dsn);
  const char* why =
      "IBR_TEST_PG_DSN is not set: start a throwaway PostgreSQL with "
      "`eval \"$(tests/pg/pg_server.sh start)\"` (or run tests/pg/run_sync_tests.sh)";
  if (std::getenv("CI")) {
    ADD_FAILURE() << why << " — CI must run the PostgreSQL tests";
  } else {
    GTEST_MESSAGE_(why, ::testing::TestPartResult::kSkip);
  }
  return std::nullopt;
}

void InsertAlphaAndBeta(const PgTestDb& db) {
  db.Exec(
      "INSERT INTO server_instances (id, instance_name, server_version, host, storage_path, environment) VALUES "
      "(1, 'alpha', '1', 'collector1', '/srv/a', 'production'), "
      "(2, 'beta', '1', 'collector2', '/srv/b', 'production');"
      "INSERT INTO catalog_generations (id, server_instance_id, catalog_generation) VALUES (1, 1, 'a1'), (2, 2, 'b1')");
}

std::vector<std::string> ResultRows(const pqxx::result& r) {
  std::vector<std::string> out;
  for (const auto& row : r) {
    std::string line;
    for (int i = 0; i < static_cast<int>(row.size()); ++i) {
      if (i) line += "|";
      line += row[i].is_null() ? "∅" : row[i].c_str();
    }
    out.push_back(line);
  }
  return out;
}

std::unique_ptr<PgTestDb> PgTestDb::Create(const std::string& owner_dsn, bool with_schema) {
  static std::atomic<int> counter{0};
  std::string name = "ibr_t_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  {
    pqxx::connection c(owner_dsn);
    pqxx::nontransaction tx(c);
    tx.exec0("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    tx.exec0("CREATE DATABASE " + name);
  }
  std::unique_ptr<PgTestDb> db(new PgTestDb(owner_dsn, name));
  if (with_schema) {
    RolePasswords pw{kSyncPassword, kReporterPassword};
    auto r = InstallSchema(db->owner_dsn(), pw);
    if (!r.ok()) ADD_FAILURE() << "init-schema: " << r.status().ToString();
  }
  return db;
}

PgTestDb::~PgTestDb() {
  if (std::getenv("IBR_KEEP_TEST_DB")) {  // for looking at a test's data with psql afterwards
    std::fprintf(stderr, "kept database %s\n", name_.c_str());
    return;
  }
  // A just-closed ib_sync session may linger a moment, and the owner may not end another
  // role's session: retry for a while. The cluster may be gone (a test stopped it): give up.
  for (int i = 0; i < 50; ++i) {
    try {
      pqxx::connection c(base_);
      pqxx::nontransaction tx(c);
      tx.exec0("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      return;
    } catch (const pqxx::broken_connection&) {
      return;
    } catch (const std::exception&) {
      usleep(100 * 1000);
    }
  }
}

std::string PgTestDb::sync_dsn() const {
  return base_ + " user=ib_sync password=" + kSyncPassword + " dbname=" + name_;
}
std::string PgTestDb::reporter_dsn() const {
  return base_ + " user=ib_reporter password=" + kReporterPassword + " dbname=" + name_;
}

std::vector<std::string> PgTestDb::Rows(const std::string& sql) const {
  pqxx::connection c(owner_dsn());
  pqxx::work tx(c);
  tx.exec0("SET TIME ZONE 'UTC'");
  return ResultRows(tx.exec(sql));
}

std::string PgTestDb::One(const std::string& sql) const {
  auto rows = Rows(sql);
  if (rows.empty()) return "";
  return rows[0].substr(0, rows[0].find('|'));
}

void PgTestDb::Exec(const std::string& sql) const {
  pqxx::connection c(owner_dsn());
  pqxx::work tx(c);
  tx.exec(sql);
  tx.commit();
}

std::string PgServerScript(const std::string& args, int* exit_code) {
  std::string cmd = std::string("bash ") + IBR_SOURCE_DIR + "/tests/pg/pg_server.sh " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "";
  std::string out;
  std::array<char, 512> buf;
  while (fgets(buf.data(), buf.size(), p)) out += buf.data();
  int rc = pclose(p);
  if (exit_code) *exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

OwnPgCluster StartOwnPgCluster() {
  OwnPgCluster c;
  int rc = 0;
  c.output = PgServerScript("start", &rc);
  if (rc != 0) return c;
  auto field = [&](const std::string& key) -> std::string {
    const auto p = c.output.find(key + "='");
    if (p == std::string::npos) return "";
    const auto q = c.output.find('\'', p + key.size() + 2);
    return c.output.substr(p + key.size() + 2, q - p - key.size() - 2);
  };
  c.dir = field("IBR_TEST_PG_DIR");
  c.dsn = field("IBR_TEST_PG_DSN");
  return c;
}

}  // namespace ibr::sync::testing
