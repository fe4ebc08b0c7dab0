// Test support: a fresh PostgreSQL database per test, on the throwaway cluster
// tests/pg/pg_server.sh starts (IBR_TEST_PG_DSN: an owner with CREATEDB and
// CREATEROLE). Without IBR_TEST_PG_DSN the PostgreSQL tests skip — or fail
// when CI is set, so CI never passes without them.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace ibr::sync::testing {

constexpr const char* kSyncPassword = "ibr-test-sync-pw";
constexpr const char* kReporterPassword = "ibr-test-reporter-pw";

// The owner DSN, or nullopt (after GTEST_SKIP / ADD_FAILURE as above).
std::optional<std::string> OwnerDsnOrSkip();

#define IBR_PG_TEST_PRELUDE(owner_var)                                   \
  auto owner_var##_opt = ::ibr::sync::testing::OwnerDsnOrSkip();         \
  if (!owner_var##_opt) return;                                          \
  const std::string owner_var = *owner_var##_opt

class PgTestDb {
 public:
  // CREATE DATABASE ibr_t_<pid>_<n>; with_schema: ib-sync init-schema on it
  // (roles get LOGIN with the test passwords). Dropped (FORCE) on destruction, unless
  // IBR_KEEP_TEST_DB is set (then its name is printed, to look at it with psql).
  static std::unique_ptr<PgTestDb> Create(const std::string& owner_dsn, bool with_schema = true);
  ~PgTestDb();

  const std::string& name() const { return name_; }
  std::string owner_dsn() const { return base_ + " dbname=" + name_; }
  std::string sync_dsn() const;      // as ib_sync
  std::string reporter_dsn() const;  // as ib_reporter

  // Runs a query as the owner; each row as its fields joined by '|' (NULL as "∅"),
  // in the UTC time zone.
  std::vector<std::string> Rows(const std::string& sql) const;
  std::string One(const std::string& sql) const;  // first field of the first row
  void Exec(const std::string& sql) const;

 private:
  PgTestDb(std::string base, std::string name) : base_(std::move(base)), name_(std::move(name)) {}
  std::string base_, name_;
};

// A fixture base with a fresh database: subclasses call PgTest::SetUp() and
// return when db_ is null (no PostgreSQL: skipped, or failed in CI).
class PgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto owner = OwnerDsnOrSkip()) db_ = PgTestDb::Create(*owner);
  }
  std::unique_ptr<PgTestDb> db_;
};

// The central scenario tests' two hosts: instances 1 'alpha' (collector1, /srv/a) and 2 'beta'
// (collector2, /srv/b), production, with catalog generations 1 = (alpha, 'a1') and 2 = (beta, 'b1').
void InsertAlphaAndBeta(const PgTestDb& db);

// Field-joined rows of a pqxx result (shared by the tests that connect themselves).
std::vector<std::string> ResultRows(const pqxx::result& r);

// Runs tests/pg/pg_server.sh with the arguments; returns its stdout (empty on failure).
std::string PgServerScript(const std::string& args, int* exit_code = nullptr);

// A private cluster of the test's own (`pg_server.sh start`), for tests that stop and start it.
struct OwnPgCluster {
  std::string dir;  // IBR_TEST_PG_DIR: for pause / resume / stop
  std::string dsn;  // IBR_TEST_PG_DSN: its owner
  std::string output;  // what the script printed (the reason when dir is empty)
};
// Empty dir when the cluster could not be started.
OwnPgCluster StartOwnPgCluster();

}  // namespace ibr::sync::testing
