// SqliteDb: a small RAII layer over the sqlite3 C API — connection, prepared
// statements with typed binds/columns, and transactions — returning Status.
//
// One SqliteDb per thread (SQLite connections are not shared here). Readers
// open read-only (SQLITE_OPEN_READONLY) so they never block or change a
// recorder's catalog; WAL lets them read while it writes.
//
// Read-only limits: the reader needs the database's -wal and -shm files. When
// they are missing SQLite creates them (empty), which needs a writable
// directory; writers keep them in place after closing (SQLITE_FCNTL_PERSIST_WAL)
// so a reader in a directory it cannot write works once any writer has opened
// the file. The database file itself is never written by a reader.
#pragma once

#include <sqlite3.h>

#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ibr::catalog {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& o) noexcept;
  Statement& operator=(Statement&& o) noexcept;
  ~Statement();

  // Binds are 1-based, like sqlite3_bind_*.
  Statement& Bind(int i, std::int64_t v);
  Statement& Bind(int i, double v);
  Statement& Bind(int i, std::string_view v);
  Statement& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  // Any other integer (int, uint32_t contract ids, ...) binds as int64.
  template <std::integral T>
  Statement& Bind(int i, T v) {
    return Bind(i, static_cast<std::int64_t>(v));
  }
  Statement& BindNull(int i);
  template <typename T>
  Statement& Bind(int i, const std::optional<T>& v) {
    return v ? Bind(i, *v) : BindNull(i);
  }

  // Steps once: true when a row is ready, false when done; errors in status().
  bool Step();
  // Runs to completion (for statements that return no rows).
  Status Run();
  Status status() const { return status_; }
  void Reset();  // reset + clear bindings + status, for reuse
  bool valid() const { return stmt_ != nullptr; }

  std::int64_t Int(int col) const;  // 0-based columns
  double Double(int col) const;
  std::string Text(int col) const;
  bool IsNull(int col) const;
  std::optional<std::int64_t> OptInt(int col) const;
  std::optional<double> OptDouble(int col) const;
  std::optional<std::string> OptText(int col) const;
  const char* ColumnName(int col) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  Status status_;
};

class SqliteDb {
 public:
  enum class Mode { kReadWrite, kReadOnly };
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, Mode mode);
  ~SqliteDb();

  Status Exec(std::string_view sql);  // one or more statements, no results
  Result<Statement> Prepare(std::string_view sql);
  std::int64_t LastInsertRowId() const;
  std::int64_t Changes() const;  // rows changed by the last statement (not counting triggers)
  bool InTransaction() const;    // false in autocommit mode
  sqlite3* raw() { return db_; }
  const std::string& path() const { return path_; }
  Mode mode() const { return mode_; }

  Status Begin();      // BEGIN IMMEDIATE for writers, BEGIN for readers
  Status Commit();     // a failed COMMIT rolls back, so no transaction is left open
  Status Rollback();

  // A Status for the connection's latest error: "catalog <path>: <what>: <sqlite message>".
  Status Error(int rc, std::string_view what) const;

 private:
  SqliteDb(sqlite3* db, Mode mode, std::string path) : db_(db), mode_(mode), path_(std::move(path)) {}
  sqlite3* db_;
  Mode mode_;
  std::string path_;
};

// Maps an SQLite result code and message to a Status ("catalog <path>: <what>: <message>").
Status SqliteStatus(int rc, std::string_view path, std::string_view what, std::string_view message);

// Commits on Commit(); rolls back when destroyed uncommitted.
class Transaction {
 public:
  explicit Transaction(SqliteDb& db) : db_(db) { status_ = db_.Begin(); }
  ~Transaction() {
    if (status_.ok() && !done_) db_.Rollback();
  }
  const Status& status() const { return status_; }
  Status Commit() {
    done_ = true;
    return status_.ok() ? db_.Commit() : status_;
  }

 private:
  SqliteDb& db_;
  Status status_;
  bool done_ = false;
};

// A nestable write scope for one multi-statement operation: BEGIN IMMEDIATE
// when no transaction is open, else a SAVEPOINT inside the caller's
// transaction. Release() keeps the changes; destroying it unreleased undoes
// them (and only them).
class WriteScope {
 public:
  explicit WriteScope(SqliteDb& db);
  ~WriteScope();
  WriteScope(const WriteScope&) = delete;
  WriteScope& operator=(const WriteScope&) = delete;
  const Status& status() const { return status_; }
  Status Release();

 private:
  SqliteDb& db_;
  Status status_;
  bool nested_ = false;
  bool done_ = false;
};

}  // namespace ibr::catalog
