// SqliteDb: connection settings per mode, typed binds and columns, errors
// that name the file, transactions and nestable write scopes.
#include "catalog/sqlite_db.h"

#include <filesystem>

#include "catalog_test_util.h"

namespace ibr::catalog::testing {
namespace {

class SqliteDbTest : public CatalogTest {
 protected:
  std::unique_ptr<SqliteDb> Open(SqliteDb::Mode mode) {
    auto db = SqliteDb::Open(file_, mode);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(db).value() : nullptr;
  }
  static std::int64_t Int(SqliteDb& db, const std::string& sql) {
    auto st = db.Prepare(sql);
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    if (!st.ok() || !st->Step()) return -1;
    return st->Int(0);
  }
  void SetUp() override {
    CatalogTest::SetUp();
    file_ = dir_ + "/t.sqlite";
  }
  std::string file_;
};

TEST_F(SqliteDbTest, ReadWriteSettings) {
  auto db = Open(SqliteDb::Mode::kReadWrite);
  ASSERT_TRUE(db);
  EXPECT_EQ(db->path(), file_);
  EXPECT_EQ(Int(*db, "PRAGMA synchronous"), 2);
  EXPECT_EQ(Int(*db, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(Int(*db, "PRAGMA busy_timeout"), 5000);
  EXPECT_EQ(Int(*db, "PRAGMA temp_store"), 2);  // MEMORY
  auto jm = db->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(jm.ok() && jm->Step());
  EXPECT_EQ(jm->Text(0), "wal");
}

TEST_F(SqliteDbTest, ReadOnlyRefusesWritesAndMissingFiles) {
  auto missing = SqliteDb::Open(file_, SqliteDb::Mode::kReadOnly);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find(file_), std::string::npos) << missing.status().message();
  EXPECT_FALSE(std::filesystem::exists(file_));
  {
    auto rw = Open(SqliteDb::Mode::kReadWrite);
    ASSERT_TRUE(rw && rw->Exec("CREATE TABLE t (a INTEGER)").ok());
  }
  auto ro = Open(SqliteDb::Mode::kReadOnly);
  ASSERT_TRUE(ro);
  EXPECT_EQ(Int(*ro, "PRAGMA busy_timeout"), 5000);
  EXPECT_EQ(Int(*ro, "SELECT count(*) FROM t"), 0);
  Status s = ro->Exec("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  EXPECT_NE(s.message().find(file_), std::string::npos);
  EXPECT_NE(s.message().find("readonly"), std::string::npos) << s.message();
}

TEST_F(SqliteDbTest, BindsAndColumnsRoundTrip) {
  auto db = Open(SqliteDb::Mode::kReadWrite);
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->Exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, n TEXT)").ok());
  auto ins = db->Prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)");
  ASSERT_TRUE(ins.ok());
  std::uint32_t big = 4294967295u;
  std::optional<std::string> none;
  ins->Bind(1, big).Bind(2, 1.5).Bind(3, std::string_view("a\0b", 3)).Bind(4, none);
  ASSERT_TRUE(ins->Run().ok());
  ins->Reset();
  ins->Bind(1, std::optional<std::int64_t>(-7)).Bind(2, std::optional<double>()).Bind(3, "x").BindNull(4);
  ASSERT_TRUE(ins->Run().ok());
  EXPECT_EQ(db->LastInsertRowId(), 2);
  EXPECT_EQ(db->Changes(), 1);

  auto sel = db->Prepare("SELECT i, d, s, n FROM t ORDER BY rowid");
  ASSERT_TRUE(sel.ok());
  ASSERT_TRUE(sel->Step());
  EXPECT_EQ(sel->Int(0), 4294967295);
  EXPECT_EQ(sel->Double(1), 1.5);
  EXPECT_EQ(sel->Text(2), std::string("a\0b", 3));
  EXPECT_TRUE(sel->IsNull(3));
  EXPECT_FALSE(sel->OptText(3).has_value());
  EXPECT_STREQ(sel->ColumnName(2), "s");
  ASSERT_TRUE(sel->Step());
  EXPECT_EQ(sel->OptInt(0), -7);
  EXPECT_FALSE(sel->OptDouble(1).has_value());
  EXPECT_EQ(sel->OptText(2), "x");
  EXPECT_FALSE(sel->Step());
  EXPECT_TRUE(sel->status().ok());
}

TEST_F(SqliteDbTest, ErrorsCarryPathAndSqliteMessage) {
  auto db = Open(SqliteDb::Mode::kReadWrite);
  ASSERT_TRUE(db);
  auto bad = db->Prepare("SELEC 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(file_), std::string::npos);
  EXPECT_NE(bad.status().message().find("syntax error"), std::string::npos) << bad.status().message();

  ASSERT_TRUE(db->Exec("CREATE TABLE u (a INTEGER UNIQUE)").ok());
  ASSERT_TRUE(db->Exec("INSERT INTO u VALUES (1)").ok());
  auto ins = db->Prepare("INSERT INTO u VALUES (1)");
  ASSERT_TRUE(ins.ok());
  Status s = ins->Run();
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_NE(s.message().find("UNIQUE constraint failed: u.a"), std::string::npos) << s.message();
  // A failed statement stays failed until Reset(); then it is usable again.
  EXPECT_FALSE(ins->Step());
  ins->Reset();
  EXPECT_TRUE(ins->status().ok());

  auto where = SqliteDb::Open(dir_ + "/no/such/dir/x.sqlite", SqliteDb::Mode::kReadWrite);
  ASSERT_FALSE(where.ok());
  EXPECT_EQ(where.status().code(), StatusCode::kIoError);
  EXPECT_NE(where.status().message().find("/no/such/dir/x.sqlite"), std::string::npos);
}

TEST_F(SqliteDbTest, TransactionCommitsOrRollsBack) {
  auto db = Open(SqliteDb::Mode::kReadWrite);
  ASSERT_TRUE(db && db->Exec("CREATE TABLE t (a INTEGER)").ok());
  {
    Transaction t(*db);
    ASSERT_TRUE(t.status().ok());
    EXPECT_TRUE(db->InTransaction());
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
  }
  EXPECT_FALSE(db->InTransaction());
  EXPECT_EQ(Int(*db, "SELECT count(*) FROM t"), 0);
  {
    Transaction t(*db);
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
    ASSERT_TRUE(t.Commit().ok());
  }
  EXPECT_EQ(Int(*db, "SELECT count(*) FROM t"), 1);
  // A second BEGIN inside a transaction is refused, and leaves the first open.
  Transaction outer(*db);
  Transaction inner(*db);
  EXPECT_FALSE(inner.status().ok());
  EXPECT_TRUE(db->InTransaction());
}

TEST_F(SqliteDbTest, WriteScopeNestsAsSavepointInsideATransaction) {
  auto db = Open(SqliteDb::Mode::kReadWrite);
  ASSERT_TRUE(db && db->Exec("CREATE TABLE t (a INTEGER)").ok());
  {
    WriteScope alone(*db);  // no transaction: BEGIN IMMEDIATE ... COMMIT
    ASSERT_TRUE(alone.status().ok());
    EXPECT_TRUE(db->InTransaction());
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
    ASSERT_TRUE(alone.Release().ok());
  }
  EXPECT_FALSE(db->InTransaction());
  {
    Transaction outer(*db);
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (2)").ok());
    {
      WriteScope undone(*db);
      ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (3)").ok());
    }  // not released: only 3 is undone
    {
      WriteScope kept(*db);
      ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (4)").ok());
      ASSERT_TRUE(kept.Release().ok());
    }
    EXPECT_TRUE(db->InTransaction());
    ASSERT_TRUE(outer.Commit().ok());
  }
  auto st = db->Prepare("SELECT group_concat(a, ',') FROM (SELECT a FROM t ORDER BY a)");
  ASSERT_TRUE(st.ok() && st->Step());
  EXPECT_EQ(st->Text(0), "1,2,4");
}

}  // namespace
}  // namespace ibr::catalog::testing
