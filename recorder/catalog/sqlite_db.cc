// SqliteDb, Statement and WriteScope over the sqlite3 C API.
#include "catalog/sqlite_db.h"

#include <string>
#include <utility>

namespace ibr::catalog {
namespace {

constexpr int kBusyTimeoutMs = 5000;
// Upper bound of the -wal file kept between checkpoints (it is persisted, see header).
constexpr const char* kJournalSizeLimit = "PRAGMA journal_size_limit = 16777216";

std::string DbPath(sqlite3* db) {
  const char* f = db ? sqlite3_db_filename(db, "main") : nullptr;
  return f ? f : "";
}

}  // namespace

Status SqliteStatus(int rc, std::string_view path, std::string_view what, std::string_view message) {
  std::string m = "catalog ";
  m.append(path);
  m += ": ";
  m.append(what);
  m += ": ";
  m.append(message);
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return Status::Ok();
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Busy(m + " (another process holds the catalog's write lock; retry when it is done)");
    case SQLITE_FULL:
      return Status::DiskFull(m + " (free disk space and retry)");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(m + " (the catalog file is damaged or not an SQLite database: "
                                    "run `ib-recorder rebuild-catalog`)");
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return Status::IoError(m);
    case SQLITE_READONLY:
      return Status::FailedPrecondition(m + " (the catalog is open read-only or its files are not writable)");
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) return Status::AlreadyExists(m);
      return Status::InvalidArgument(m);
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_ERROR:
    default:
      return Status::Internal(m);
  }
}

// ---------------------------------------------------------------- Statement

Statement::Statement(Statement&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)), stmt_(std::exchange(o.stmt_, nullptr)), status_(std::move(o.status_)) {}

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    if (stmt_) sqlite3_finalize(stmt_);
    db_ = std::exchange(o.db_, nullptr);
    stmt_ = std::exchange(o.stmt_, nullptr);
    status_ = std::move(o.status_);
  }
  return *this;
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

namespace {
std::string_view SqlOf(sqlite3_stmt* s) {
  const char* t = s ? sqlite3_sql(s) : nullptr;
  std::string_view v = t ? t : "";
  // Enough of the statement to recognise it, not the whole upsert.
  while (!v.empty() && (v.front() == ' ' || v.front() == '\n')) v.remove_prefix(1);
  return v.substr(0, 60);
}
}  // namespace

Statement& Statement::Bind(int i, std::int64_t v) {
  int rc = sqlite3_bind_int64(stmt_, i, v);
  if (rc != SQLITE_OK && status_.ok()) status_ = SqliteStatus(rc, DbPath(db_), "bind", sqlite3_errstr(rc));
  return *this;
}

Statement& Statement::Bind(int i, double v) {
  int rc = sqlite3_bind_double(stmt_, i, v);
  if (rc != SQLITE_OK && status_.ok()) status_ = SqliteStatus(rc, DbPath(db_), "bind", sqlite3_errstr(rc));
  return *this;
}

Statement& Statement::Bind(int i, std::string_view v) {
  int rc = sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && status_.ok()) status_ = SqliteStatus(rc, DbPath(db_), "bind", sqlite3_errstr(rc));
  return *this;
}

Statement& Statement::BindNull(int i) {
  int rc = sqlite3_bind_null(stmt_, i);
  if (rc != SQLITE_OK && status_.ok()) status_ = SqliteStatus(rc, DbPath(db_), "bind", sqlite3_errstr(rc));
  return *this;
}

bool Statement::Step() {
  if (!status_.ok()) return false;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) {
    std::string what = "running \"";
    what.append(SqlOf(stmt_));
    what += "...\"";
    status_ = SqliteStatus(sqlite3_extended_errcode(db_), DbPath(db_), what, sqlite3_errmsg(db_));
  }
  return false;
}

Status Statement::Run() {
  while (Step()) {
  }
  return status_;
}

void Statement::Reset() {
  if (stmt_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  status_ = Status::Ok();
}

std::int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::Double(int col) const { return sqlite3_column_double(stmt_, col); }

std::string Statement::Text(int col) const {
  const unsigned char* t = sqlite3_column_text(stmt_, col);
  if (!t) return {};
  return std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

std::optional<std::int64_t> Statement::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

std::optional<double> Statement::OptDouble(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Double(col);
}

std::optional<std::string> Statement::OptText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}

const char* Statement::ColumnName(int col) const {
  const char* n = stmt_ ? sqlite3_column_name(stmt_, col) : nullptr;
  return n ? n : "?";
}

// ----------------------------------------------------------------- SqliteDb

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, Mode mode) {
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= mode == Mode::kReadWrite ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READONLY;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    if (raw) sqlite3_close_v2(raw);
    return SqliteStatus(rc, path, mode == Mode::kReadWrite ? "opening read-write" : "opening read-only", msg);
  }
  std::unique_ptr<SqliteDb> db(new SqliteDb(raw, mode, path));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  if (mode == Mode::kReadOnly) {
    // Belt and braces: the connection is read-only already; query_only also
    // refuses writes to temp tables. Neither touches the file.
    IBR_RETURN_IF_ERROR(db->Exec("PRAGMA query_only = ON"));
    return db;
  }
  // WAL: readers do not block the writer nor see its uncommitted rows.
  // synchronous=FULL: a committed transaction survives power loss.
  // temp_store=MEMORY: statement journals (every upsert inside a batch, as its
  // triggers write several rows) grow in 1 KiB chunks instead of a 64 KiB
  // buffer per statement — measured 40 -> 16 us per UpsertTickFile.
  auto jm = db->Prepare("PRAGMA journal_mode = WAL");
  if (!jm.ok()) return jm.status();
  if (!jm->Step()) {
    return jm->status().ok() ? Status::Internal("catalog " + path + ": PRAGMA journal_mode returned nothing")
                             : jm->status();
  }
  std::string journal = jm->Text(0);
  jm->Reset();
  if (journal != "wal") {
    return Status::FailedPrecondition("catalog " + path + ": cannot switch to WAL journal mode (got '" + journal +
                                      "'): the file system must support shared memory (not a network share)");
  }
  IBR_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY"));
  IBR_RETURN_IF_ERROR(db->Exec(kJournalSizeLimit));
  // Keep -wal/-shm after the last connection closes, so read-only readers work
  // in a directory they cannot write.
  int persist = 1;
  sqlite3_file_control(raw, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  return db;
}

SqliteDb::~SqliteDb() {
  // close_v2 defers the close until every statement is finalized.
  if (db_) sqlite3_close_v2(db_);
}

Status SqliteDb::Error(int rc, std::string_view what) const { return SqliteStatus(rc, path_, what, sqlite3_errmsg(db_)); }

Status SqliteDb::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string msg = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  std::string what = "executing \"" + text.substr(0, 60) + (text.size() > 60 ? "...\"" : "\"");
  return SqliteStatus(sqlite3_extended_errcode(db_), path_, what, msg);
}

Result<Statement> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                              nullptr);
  if (rc != SQLITE_OK) {
    std::string what = "preparing \"" + std::string(sql.substr(0, 60)) + "...\"";
    return Error(rc, what);
  }
  return Statement(db_, stmt);
}

std::int64_t SqliteDb::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
std::int64_t SqliteDb::Changes() const { return sqlite3_changes64(db_); }
bool SqliteDb::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

Status SqliteDb::Begin() { return Exec(mode_ == Mode::kReadWrite ? "BEGIN IMMEDIATE" : "BEGIN"); }

Status SqliteDb::Commit() {
  Status s = Exec("COMMIT");
  if (!s.ok() && InTransaction()) Exec("ROLLBACK");
  return s;
}

Status SqliteDb::Rollback() {
  if (!InTransaction()) return Status::Ok();  // SQLite may already have rolled back (e.g. after SQLITE_FULL)
  return Exec("ROLLBACK");
}

// --------------------------------------------------------------- WriteScope

WriteScope::WriteScope(SqliteDb& db) : db_(db) {
  nested_ = db_.InTransaction();
  status_ = nested_ ? db_.Exec("SAVEPOINT ibr_write_scope") : db_.Begin();
}

WriteScope::~WriteScope() {
  if (done_ || !status_.ok()) return;
  if (nested_) {
    if (db_.InTransaction()) db_.Exec("ROLLBACK TO ibr_write_scope; RELEASE ibr_write_scope");
  } else {
    db_.Rollback();
  }
}

Status WriteScope::Release() {
  if (!status_.ok()) return status_;
  done_ = true;
  return nested_ ? db_.Exec("RELEASE ibr_write_scope") : db_.Commit();
}

}  // namespace ibr::catalog
