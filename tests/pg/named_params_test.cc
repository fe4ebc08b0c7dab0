// Named parameters: placeholders become $n, values travel apart from the SQL
// (checked on the real PostgreSQL tests/pg/pg_server.sh starts: IBR_TEST_PG_DSN;
// without it this fails under CI=1 and skips otherwise).
#include "pg/named_params.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "pg/pg_connection.h"
#include "pg/pg_copy_rows.h"

namespace ibr::pg {
namespace {

TEST(NamedParams, PlaceholdersAreNumberedByFirstUse) {
  auto b = BindNamed("SELECT {a}::int + {b}::int, {a}::int, '{1,2}'::int[]", {{"a", "1"}, {"b", std::nullopt}});
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->sql, "SELECT $1::int + $2::int, $1::int, '{1,2}'::int[]");
  EXPECT_EQ(b->params, (TextRow{"1", std::nullopt}));
}

TEST(NamedParams, AMissingValueIsAnError) {
  auto b = BindNamed("SELECT {nope}", {});
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("{nope}"), std::string::npos) << b.status().ToString();
}

std::string PgDsnOrSkip() {
  const char* dsn = std::getenv("IBR_TEST_PG_DSN");
  if (dsn && *dsn) return dsn;
  if (std::getenv("CI")) ADD_FAILURE() << "CI is set but IBR_TEST_PG_DSN is not: run tests/pg/pg_server.sh start";
  return "";
}

// A connection to the real server, or a skip (a failure under CI=1).
class NamedParamsPg : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dsn = PgDsnOrSkip();
    if (dsn.empty()) GTEST_SKIP() << "no IBR_TEST_PG_DSN";
    auto conn = PgConnect(dsn);
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = std::move(conn).value();
  }
  std::unique_ptr<pqxx::connection> conn_;
};

TEST_F(NamedParamsPg, ValuesNeverBecomeSqlOnTheRealServer) {
  if (!conn_) return;
  pqxx::work tx(*conn_);
  tx.exec0("CREATE TEMP TABLE named_params_probe (name text, n bigint)");
  const std::string hostile = "x'); DROP TABLE named_params_probe; --";
  auto ins = BindNamed("INSERT INTO named_params_probe VALUES ({name}::text, {n}::bigint), ({name}::text, NULL)",
                       {{"name", hostile}, {"n", "7"}});
  ASSERT_TRUE(ins.ok());
  ASSERT_TRUE(ExecBound(tx, *ins, "insert").ok());
  ASSERT_TRUE(CopyRows(tx, "named_params_probe", {{std::string("copied"), std::nullopt}}).ok());
  auto sel = BindNamed("SELECT count(*) FILTER (WHERE name = {name}::text), count(n), count(*) FROM named_params_probe",
                       {{"name", hostile}});
  ASSERT_TRUE(sel.ok());
  auto r = ExecBound(tx, *sel, "select");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0][0].as<int>(), 2);
  EXPECT_EQ((*r)[0][1].as<int>(), 1);
  EXPECT_EQ((*r)[0][2].as<int>(), 3);
}

TEST_F(NamedParamsPg, AServerErrorIsAStatusNamingWhatWasBeingDone) {
  if (!conn_) return;
  pqxx::work tx(*conn_);
  auto bad = BindNamed("SELECT {n}::bigint FROM no_such_table", {{"n", "1"}});
  ASSERT_TRUE(bad.ok());
  auto r = ExecBound(tx, *bad, "read the probe");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().ToString();
  EXPECT_NE(r.status().message().find("read the probe"), std::string::npos) << r.status().ToString();
}

TEST_F(NamedParamsPg, CopyOfRaggedRowsIsAStatusNotAnException) {
  if (!conn_) return;
  pqxx::work tx(*conn_);
  tx.exec0("CREATE TEMP TABLE copy_probe (a text, b text)");
  Status s = CopyRows(tx, "copy_probe", {{std::string("1"), std::string("2")}, {std::string("only one")}});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("different widths"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace ibr::pg
