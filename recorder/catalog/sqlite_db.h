// SqliteDb: a small RAII layer over the sqlite3 C API — connection, prepared
// statements with typed binds/columns, and transactions — returning Status.
//
// One SqliteDb per thread (SQLite connections are not shared here). Readers
// open read-only (SQLITE_OPEN_READONLY) so they never block or change a
// recorder's catalog; WAL lets them read while it writes.
#pragma once

#include <sqlite3.h>

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
  void Reset();  // reset + clear bindings, for reuse

  std::int64_t Int(int col) const;  // 0-based columns
  double Double(int col) const;
  std::string Text(int col) const;
  bool IsNull(int col) const;
  std::optional<std::int64_t> OptInt(int col) const;
  std::optional<double> OptDouble(int col) const;
  std::optional<std::string> OptText(int col) const;

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
  sqlite3* raw() { return db_; }

  Status Begin();      // BEGIN IMMEDIATE for writers, BEGIN for readers
  Status Commit();
  Status Rollback();

 private:
  SqliteDb(sqlite3* db, Mode mode) : db_(db), mode_(mode) {}
  sqlite3* db_;
  Mode mode_;
};

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

}  // namespace ibr::catalog
