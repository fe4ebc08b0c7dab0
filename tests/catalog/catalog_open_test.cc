// Catalog::Open: creation, migrations, generation id, version refusal,
// read-only opens and WAL isolation between a writer and a reader.
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "catalog/catalog.h"
#include "catalog_test_util.h"
#include "ibr_sqlite_schema.h"

namespace ibr::catalog::testing {
namespace {

std::string ReadBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs SQL on the file through a connection of our own (as another tool would).
void RawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

TickFileRow File(std::uint32_t contract, const char* hour, int part = 1) {
  TickFileRow f;
  f.contract_id = contract;
  f.tick_type = TickType::kLast;
  f.hour_bucket = T(hour);
  f.part = part;
  f.file_path = "protobuf/x/" + std::string(hour) + "_" + std::to_string(part) + ".pb";
  f.start_time = f.hour_bucket + kUsPerSecond;
  f.end_time = f.hour_bucket + 2 * kUsPerSecond;
  f.message_count = 2;
  return f;
}

using OpenTest = CatalogTest;

TEST_F(OpenTest, CreatesFileAndDirectoryAndAppliesEveryMigration) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  EXPECT_TRUE(std::filesystem::exists(path_));
  EXPECT_EQ(cat->schema_version(), kSchemaVersion);
  EXPECT_EQ(QueryInt(*cat, "PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(QueryText(*cat, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(QueryInt(*cat, "PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(QueryInt(*cat, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(QueryInt(*cat, "PRAGMA busy_timeout"), 5000);
  EXPECT_EQ(QueryInt(*cat, "SELECT count(*) FROM sqlite_schema WHERE name = 'tick_files'"), 1);
  auto max = cat->MaxChangeNo();
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(*max, 0);
  EXPECT_EQ(QueryText(*cat, "SELECT value FROM catalog_meta WHERE key = 'created_at'"), "2025-03-10T14:00:00.000000Z");
}

TEST_F(OpenTest, EmbeddedMigrationsAreNumberedUpToSchemaVersion) {
  // From 0001, increasing, the last one kSchemaVersion; numbers are reserved per change, so gaps are allowed.
  const auto& files = ibr::schema::sqlite::Files();
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files.front().name.substr(0, 5), "0001_");
  int previous = 0;
  for (const auto& f : files) {
    ASSERT_EQ(f.name.size() > 5 && f.name[4] == '_', true) << f.name;
    const int number = std::stoi(std::string(f.name.substr(0, 4)));
    EXPECT_GT(number, previous) << f.name;
    previous = number;
  }
  EXPECT_EQ(previous, kSchemaVersion);
}

TEST_F(OpenTest, ReopenIsIdempotentAndKeepsGenerationAndRows) {
  std::string gen;
  {
    auto cat = OpenRw();
    ASSERT_TRUE(cat);
    gen = cat->generation_id();
    ASSERT_TRUE(cat->UpsertTickFile(File(7, "2025-03-10T14:00:00Z")).ok());
  }
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  EXPECT_EQ(cat->generation_id(), gen);
  EXPECT_EQ(cat->schema_version(), kSchemaVersion);
  EXPECT_EQ(QueryInt(*cat, "SELECT count(*) FROM catalog_meta"), 2);
  EXPECT_EQ(QueryInt(*cat, "SELECT count(*) FROM tick_files"), 1);
  EXPECT_EQ(*cat->MaxChangeNo(), 1);
  auto ro = OpenRo();
  ASSERT_TRUE(ro);
  EXPECT_EQ(ro->generation_id(), gen);
  EXPECT_EQ(ro->schema_version(), kSchemaVersion);
}

TEST_F(OpenTest, GenerationIdIsRandomHexAndDiffersForANewFile) {
  auto a = OpenRw();
  ASSERT_TRUE(a);
  std::string other = dir_ + "/other/catalog.sqlite";
  auto b = Catalog::Open(other, Catalog::Mode::kReadWrite, clock_);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(a->generation_id().size(), 32u);
  EXPECT_EQ(a->generation_id().find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a->generation_id(), (*b)->generation_id());
}

TEST_F(OpenTest, NewerSchemaIsRefusedReadWriteAndReadOnly) {
  { ASSERT_TRUE(OpenRw()); }
  RawExec(path_, "PRAGMA user_version = 42");
  for (auto mode : {Catalog::Mode::kReadWrite, Catalog::Mode::kReadOnly}) {
    auto c = Catalog::Open(path_, mode, clock_);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().code(), StatusCode::kFailedPrecondition);
    const std::string& m = c.status().message();
    EXPECT_NE(m.find(path_), std::string::npos) << m;
    EXPECT_NE(m.find("schema version 42"), std::string::npos) << m;
    EXPECT_NE(m.find("up to " + std::to_string(kSchemaVersion)), std::string::npos) << m;
    EXPECT_NE(m.find("knows schema 42"), std::string::npos) << m;
  }
  // Refusing changed nothing.
  RawExec(path_, "PRAGMA user_version = 1");
  EXPECT_TRUE(OpenRo());
}

TEST_F(OpenTest, ReadOnlyOpenOfMissingFileIsNotFoundAndCreatesNothing) {
  auto c = Catalog::Open(path_, Catalog::Mode::kReadOnly, clock_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
  EXPECT_NE(c.status().message().find(path_), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path_));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/metadata"));
}

TEST_F(OpenTest, ReadOnlyOpenOfEmptyFileIsRefusedWithoutWriting) {
  std::filesystem::create_directories(dir_ + "/metadata");
  { std::ofstream(path_).flush(); }
  auto c = Catalog::Open(path_, Catalog::Mode::kReadOnly, clock_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(c.status().message().find("not initialised"), std::string::npos) << c.status().message();
  EXPECT_EQ(std::filesystem::file_size(path_), 0u);
}

TEST_F(OpenTest, ForeignSqliteDatabaseIsNotMigrated) {
  std::filesystem::create_directories(dir_ + "/metadata");
  RawExec(path_, "CREATE TABLE something_else (a INTEGER)");
  auto c = Catalog::Open(path_, Catalog::Mode::kReadWrite, clock_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(c.status().message().find("not an ib-recorder catalog"), std::string::npos) << c.status().message();
}

TEST_F(OpenTest, GarbageFileIsCorruptionNamingThePath) {
  std::filesystem::create_directories(dir_ + "/metadata");
  { std::ofstream(path_) << std::string(4096, 'x'); }
  for (auto mode : {Catalog::Mode::kReadWrite, Catalog::Mode::kReadOnly}) {
    auto c = Catalog::Open(path_, mode, clock_);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().code(), StatusCode::kCorruption) << c.status().ToString();
    EXPECT_NE(c.status().message().find(path_), std::string::npos) << c.status().message();
    EXPECT_NE(c.status().message().find("not a database"), std::string::npos) << c.status().message();
  }
}

TEST_F(OpenTest, ReadOnlyCatalogNeverWritesTheDatabase) {
  {
    auto cat = OpenRw();
    ASSERT_TRUE(cat);
    ASSERT_TRUE(cat->UpsertTickFile(File(7, "2025-03-10T14:00:00Z")).ok());
  }
  const std::string before = ReadBytes(path_);
  const std::string wal_before = ReadBytes(path_ + "-wal");
  {
    auto ro = OpenRo();
    ASSERT_TRUE(ro);
    auto files = ro->ListTickFiles();
    ASSERT_TRUE(files.ok());
    EXPECT_EQ(files->size(), 1u);
    Status s = ro->UpsertContract(ContractRow{.contract_id = 7, .symbol = "X"});
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
    EXPECT_NE(s.message().find(path_), std::string::npos) << s.message();
    EXPECT_FALSE(ro->UpsertTickFile(File(7, "2025-03-10T15:00:00Z")).ok());
    EXPECT_FALSE(ro->ClearFileDerivedTables().ok());
  }
  EXPECT_EQ(ReadBytes(path_), before);
  EXPECT_EQ(ReadBytes(path_ + "-wal"), wal_before);
}

TEST_F(OpenTest, WriterKeepsWalAndShmFilesForReadOnlyReaders) {
  { ASSERT_TRUE(OpenRw()); }
  EXPECT_TRUE(std::filesystem::exists(path_ + "-wal"));
  EXPECT_TRUE(std::filesystem::exists(path_ + "-shm"));
}

// In a child process that cannot write the catalog's directory (dropped to
// nobody when the tests run as root), opens the catalog read-only; exit code
// 0 when `check` accepts the outcome.
template <typename Check>
void ExpectReadOnlyChild(const std::string& path, const std::string& dir, Check check) {
  EXPECT_EXIT(
      {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(10);
        if (access(dir.c_str(), W_OK) == 0) _exit(11);  // the test would prove nothing
        ManualClock clock(0);
        auto c = Catalog::Open(path, Catalog::Mode::kReadOnly, clock);
        std::fprintf(stderr, "%s\n", c.ok() ? "opened" : c.status().ToString().c_str());
        _exit(check(c) ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(OpenTest, ReadOnlyWorksInAnUnwritableDirectoryWhileWalAndShmExist) {
  {
    auto cat = OpenRw();
    ASSERT_TRUE(cat);
    ASSERT_TRUE(cat->UpsertTickFile(File(7, "2025-03-10T14:00:00Z")).ok());
  }
  const std::string meta = dir_ + "/metadata";
  ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);
  ASSERT_EQ(chmod(meta.c_str(), 0555), 0);
  ExpectReadOnlyChild(path_, meta, [](Result<std::unique_ptr<Catalog>>& c) {
    if (!c.ok()) return false;
    auto files = (*c)->ListTickFiles();
    return files.ok() && files->size() == 1;
  });
  // Without -wal/-shm the reader cannot start, and says why.
  ASSERT_EQ(chmod(meta.c_str(), 0755), 0);
  std::filesystem::remove(path_ + "-wal");
  std::filesystem::remove(path_ + "-shm");
  ASSERT_EQ(chmod(meta.c_str(), 0555), 0);
  ExpectReadOnlyChild(path_, meta, [](Result<std::unique_ptr<Catalog>>& c) {
    return !c.ok() && c.status().code() == StatusCode::kFailedPrecondition &&
           c.status().message().find("-wal and -shm") != std::string::npos;
  });
  ASSERT_EQ(chmod(meta.c_str(), 0755), 0);
  EXPECT_FALSE(std::filesystem::exists(path_ + "-wal"));
}

TEST_F(OpenTest, ReaderSeesCommittedRowsOnlyWhileWriterHoldsATransaction) {
  auto writer = OpenRw();
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->UpsertTickFile(File(7, "2025-03-10T14:00:00Z")).ok());

  Transaction txn(writer->db());
  ASSERT_TRUE(txn.status().ok()) << txn.status().ToString();
  ASSERT_TRUE(writer->UpsertTickFile(File(7, "2025-03-10T15:00:00Z")).ok());
  auto updated = File(7, "2025-03-10T14:00:00Z");
  updated.message_count = 99;
  ASSERT_TRUE(writer->UpsertTickFile(updated).ok());

  // Opened while the write transaction (and its write lock) is held.
  auto reader = OpenRo();
  ASSERT_TRUE(reader);
  auto seen = reader->ListTickFiles();
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  ASSERT_EQ(seen->size(), 1u);
  EXPECT_EQ((*seen)[0].message_count, 2);
  EXPECT_EQ(*reader->MaxChangeNo(), 1);

  ASSERT_TRUE(txn.Commit().ok());
  seen = reader->ListTickFiles();
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->size(), 2u);
  EXPECT_EQ((*seen)[0].message_count, 99);
  EXPECT_EQ(*reader->MaxChangeNo(), 3);
}

TEST_F(OpenTest, SecondWriterGetsBusyWhileFirstHoldsTheWriteLock) {
  auto a = OpenRw();
  auto b = OpenRw();
  ASSERT_TRUE(a && b);
  ASSERT_EQ(sqlite3_busy_timeout(b->db().raw(), 1), SQLITE_OK);  // do not wait 5 s in a test
  Transaction txn(a->db());
  ASSERT_TRUE(txn.status().ok());
  auto r = b->UpsertTickFile(File(7, "2025-03-10T14:00:00Z"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kBusy) << r.status().ToString();
  EXPECT_NE(r.status().message().find(path_), std::string::npos);
}

}  // namespace
}  // namespace ibr::catalog::testing
