// Catalog: opening, migrations, generation id, instance and sessions.
// (Files, stats and contracts: catalog_files.cc; events and the rest: catalog_events.cc.)
#include "catalog/catalog.h"

#include <charconv>
#include <cstdio>
#include <random>

#include "catalog/change_tracking.h"
#include "catalog/table_descriptions.h"
#include "catalog/row_codec.h"
#include "common/file_system.h"
#include "common/time_text.h"
#include "ibr_sqlite_schema.h"

namespace ibr::catalog {
namespace {

std::string RandomHex32() {
  std::random_device rd;
  std::string out;
  char buf[9];
  for (int i = 0; i < 4; ++i) {
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
    out += buf;
  }
  return out;
}

// "0001_initial.sql" -> 1; 0 when the name does not start with a number.
int MigrationNumber(std::string_view name) {
  int n = 0;
  auto [p, ec] = std::from_chars(name.data(), name.data() + name.size(), n);
  if (ec != std::errc() || p == name.data() || p == name.data() + name.size() || *p != '_') return 0;
  return n;
}

std::string ParentDir(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return "";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Result<int> UserVersion(SqliteDb& db) {
  auto st = db.Prepare("PRAGMA user_version");
  if (!st.ok()) return st.status();
  if (!st->Step()) {
    return st->status().ok() ? Status::Internal("catalog " + db.path() + ": PRAGMA user_version returned nothing")
                             : st->status();
  }
  return static_cast<int>(st->Int(0));
}

Status RefuseNewer(const std::string& path, int version) {
  return Status::FailedPrecondition("catalog " + path + " has schema version " + std::to_string(version) +
                                    "; this ib-recorder understands up to " + std::to_string(kSchemaVersion) +
                                    ": upgrade ib-recorder to a version that knows schema " + std::to_string(version));
}

constexpr const char* kInstanceCols =
    "id, instance_name, server_version, host, port, storage_path, environment, tws_client_id";

InstanceRow ReadInstance(RowReader& r) {
  InstanceRow row;
  row.id = r.Int("id");
  row.instance_name = r.Text("instance_name");
  row.server_version = r.Text("server_version");
  row.host = r.Text("host");
  row.port = static_cast<int>(r.Int("port"));
  row.storage_path = r.Text("storage_path");
  row.environment = r.Text("environment");
  row.tws_client_id = static_cast<int>(r.Int("tws_client_id"));
  return row;
}
constexpr RowSpec<InstanceRow> kInstances{"server_instances", kInstanceCols, &ReadInstance};

constexpr const char* kSessionCols =
    "id, server_instance_id, session_start, session_end, status, session_kind, config_snapshot, "
    "total_messages_collected, total_storage_bytes, termination_reason";

SessionRow ReadSession(RowReader& r) {
  SessionRow row;
  row.id = r.Int("id");
  row.server_instance_id = r.Int("server_instance_id");
  row.session_start = r.Time("session_start");
  row.session_end = r.OptTime("session_end");
  row.status = r.Parsed("status", &ParseSessionStatus);
  row.kind = r.Parsed("session_kind", &ParseSessionKind);
  row.config_snapshot = r.OptText("config_snapshot").value_or("{}");
  row.total_messages_collected = r.Int("total_messages_collected");
  row.total_storage_bytes = r.Int("total_storage_bytes");
  row.termination_reason = r.OptText("termination_reason");
  return row;
}
constexpr RowSpec<SessionRow> kSessions{"collection_sessions", kSessionCols, &ReadSession};

constexpr const char* kSessionContractCols =
    "collection_session_id, contract_id, symbol, tick_types, messages_collected, storage_bytes, "
    "first_message_time, last_message_time";

SessionContractRow ReadSessionContract(RowReader& r) {
  SessionContractRow row;
  row.collection_session_id = r.Int("collection_session_id");
  row.contract_id = r.ContractId("contract_id");
  row.symbol = r.Text("symbol");
  row.tick_types = r.TickTypes("tick_types");
  row.messages_collected = r.Int("messages_collected");
  row.storage_bytes = r.Int("storage_bytes");
  row.first_message_time = r.OptTime("first_message_time");
  row.last_message_time = r.OptTime("last_message_time");
  return row;
}
constexpr RowSpec<SessionContractRow> kSessionContracts{"session_contracts", kSessionContractCols,
                                                        &ReadSessionContract};

}  // namespace

// ------------------------------------------------------------------ opening

Result<std::unique_ptr<Catalog>> Catalog::Open(const std::string& path, Mode mode, const Clock& clock) {
  auto& fs = PosixFileSystem::Instance();
  if (mode == Mode::kReadOnly) {
    if (!fs.Exists(path)) {
      return Status::NotFound("no catalog at " + path +
                              ": check the storage root (--storage / IB_STREAM_STORAGE_PATH), or create it by "
                              "running a writer there first (`ib-recorder run`, `ingest` or `rebuild-catalog`)");
    }
  } else {
    std::string dir = ParentDir(path);
    if (!dir.empty() && !fs.Exists(dir)) IBR_RETURN_IF_ERROR(fs.CreateDirs(dir));
  }
  auto db = SqliteDb::Open(path, mode == Mode::kReadWrite ? SqliteDb::Mode::kReadWrite : SqliteDb::Mode::kReadOnly);
  if (!db.ok()) return db.status();
  std::unique_ptr<Catalog> cat(new Catalog(std::move(db).value(), clock));

  auto version = UserVersion(*cat->db_);
  if (!version.ok()) {
    const StatusCode code = version.status().code();
    const bool cannot_write = code == StatusCode::kFailedPrecondition || code == StatusCode::kIoError;
    if (mode == Mode::kReadOnly && cannot_write && (!fs.Exists(path + "-wal") || !fs.Exists(path + "-shm"))) {
      return Status::FailedPrecondition(
          version.status().message() + ". A read-only reader needs " + path + "-wal and -shm, which are missing and "
          "cannot be created here: give this user write access to " + ParentDir(path) +
          ", or open the catalog once with a writer (writers keep those files)");
    }
    return version.status();
  }
  if (*version > kSchemaVersion) return RefuseNewer(path, *version);
  if (mode == Mode::kReadWrite) {
    IBR_RETURN_IF_ERROR(cat->Migrate());
  } else if (*version == 0) {
    return Status::FailedPrecondition("catalog " + path +
                                      " is not initialised (schema version 0): open it with a writer first "
                                      "(`ib-recorder run`, `ingest` or `rebuild-catalog`)");
  } else {
    cat->schema_version_ = *version;
  }
  IBR_RETURN_IF_ERROR(cat->LoadMeta());
  return cat;
}

Status Catalog::Migrate() {
  const std::string& path = db_->path();
  auto version = UserVersion(*db_);
  if (!version.ok()) return version.status();
  if (*version == 0) {
    // A file that has tables but no schema version is someone else's database.
    auto st = db_->Prepare("SELECT count(*) FROM sqlite_schema");
    if (!st.ok()) return st.status();
    if (!st->Step()) return st->status();
    if (st->Int(0) != 0) {
      return Status::FailedPrecondition("catalog " + path +
                                        " holds tables but no ib-recorder schema version: it is not an ib-recorder "
                                        "catalog; move it away or point --storage at the right root");
    }
  }
  // Numbers increase; a gap is fine (numbers are reserved per change, not all land at once).
  int previous = 0;
  for (const auto& file : ibr::schema::sqlite::Files()) {
    int number = MigrationNumber(file.name);
    if (number <= previous || number > kSchemaVersion) {
      return Status::Internal("embedded SQLite migration " + std::string(file.name) + " is out of sequence (after " +
                              std::to_string(previous) + ", schema version " + std::to_string(kSchemaVersion) +
                              "): this ib-recorder was built wrongly");
    }
    previous = number;
    if (number <= *version) continue;
    WriteScope scope(*db_);
    IBR_RETURN_IF_ERROR(scope.status());
    // Another writer may have migrated between our read and our write lock.
    auto now = UserVersion(*db_);
    if (!now.ok()) return now.status();
    if (*now > kSchemaVersion) return RefuseNewer(path, *now);
    if (number <= *now) {
      *version = *now;
      continue;
    }
    Status s = db_->Exec(file.text);
    // The change-tracking triggers of the tables this migration creates (change_tracking.h).
    if (s.ok()) s = db_->Exec(ChangeTrackingSql(number));
    if (!s.ok()) return s.WithContext("applying migration " + std::string(file.name));
    IBR_RETURN_IF_ERROR(db_->Exec("PRAGMA user_version = " + std::to_string(number)));
    IBR_RETURN_IF_ERROR(scope.Release());
    *version = number;
  }
  if (previous != kSchemaVersion) {
    return Status::Internal("embedded SQLite migrations end at " + std::to_string(previous) +
                            " but kSchemaVersion is " + std::to_string(kSchemaVersion) +
                            ": this ib-recorder was built wrongly");
  }
  schema_version_ = *version;

  // Made once, when the catalog is created (or if creation was cut short before it).
  auto has = Stmt("SELECT 1 FROM catalog_meta WHERE key = 'generation_id'");
  if (!has.ok()) return has.status();
  bool exists = (*has)->Step();
  IBR_RETURN_IF_ERROR((*has)->status());
  if (exists) return Status::Ok();
  WriteScope scope(*db_);
  IBR_RETURN_IF_ERROR(scope.status());
  auto ins = db_->Prepare("INSERT OR IGNORE INTO catalog_meta (key, value) VALUES ('generation_id', ?1), ('created_at', ?2)");
  if (!ins.ok()) return ins.status();
  ins->Bind(1, RandomHex32()).Bind(2, NowText());
  IBR_RETURN_IF_ERROR(ins->Run());
  return scope.Release();
}

Status Catalog::LoadMeta() {
  auto st = Stmt("SELECT value FROM catalog_meta WHERE key = 'generation_id'");
  if (!st.ok()) return st.status();
  if (!(*st)->Step()) {
    IBR_RETURN_IF_ERROR((*st)->status());
    return Status::FailedPrecondition("catalog " + db_->path() +
                                      " has no generation id yet (its creation was cut short): open it with a "
                                      "writer once to finish creating it");
  }
  generation_id_ = (*st)->Text(0);
  return Status::Ok();
}

std::string Catalog::NowText() const { return FormatIsoTimestamp(clock_.Now()); }

Result<std::int64_t> Catalog::MaxChangeNo() {
  auto st = Stmt("SELECT value FROM change_counter WHERE id = 1");
  if (!st.ok()) return st.status();
  if (!(*st)->Step()) {
    IBR_RETURN_IF_ERROR((*st)->status());
    return Status::Corruption("catalog " + db_->path() + ": change_counter has no row: run `ib-recorder rebuild-catalog`");
  }
  return (*st)->Int(0);
}

Result<Catalog::PendingChanges> Catalog::CountChangesAfter(std::int64_t after) {
  PendingChanges out;
  std::optional<std::int64_t> oldest_no;
  auto count = [&](std::string_view table, std::string_view change_time) -> Status {
    const std::string t(table);
    auto n = Stmt("SELECT count(*) FROM " + t + " WHERE change_no > ?1");
    if (!n.ok()) return n.status();
    (*n)->Bind(1, after);
    if ((*n)->Step()) out.rows += (*n)->Int(0);
    IBR_RETURN_IF_ERROR((*n)->status());
    auto first = Stmt("SELECT change_no, " + std::string(change_time) + " FROM " + t +
                      " WHERE change_no > ?1 ORDER BY change_no LIMIT 1");
    if (!first.ok()) return first.status();
    (*first)->Bind(1, after);
    if ((*first)->Step() && (!oldest_no || (*first)->Int(0) < *oldest_no)) {
      oldest_no = (*first)->Int(0);
      out.oldest = ParseIsoTimestamp((*first)->Text(1));
    }
    return (*first)->status();
  };
  for (const TableDescription& t : TableDescriptions()) IBR_RETURN_IF_ERROR(count(t.name, t.change_time));
  IBR_RETURN_IF_ERROR(count(kTombstonesTable, kTombstonesChangeTime));
  return out;
}

// ----------------------------------------------------------------- instance

Result<std::int64_t> Catalog::UpsertInstance(const InstanceRow& row) {
  auto st = Stmt(
      "INSERT INTO server_instances (instance_name, server_version, host, port, storage_path, environment, "
      "tws_client_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) "
      "ON CONFLICT (instance_name) DO UPDATE SET server_version = excluded.server_version, host = excluded.host, "
      "port = excluded.port, storage_path = excluded.storage_path, environment = excluded.environment, "
      "tws_client_id = excluded.tws_client_id, updated_at = excluded.updated_at "
      "WHERE (server_version, host, port, storage_path, environment, tws_client_id) IS NOT "
      "(excluded.server_version, excluded.host, excluded.port, excluded.storage_path, excluded.environment, "
      "excluded.tws_client_id) "
      "RETURNING id");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  s.Bind(1, row.instance_name).Bind(2, row.server_version).Bind(3, row.host).Bind(4, row.port);
  s.Bind(5, row.storage_path).Bind(6, row.environment).Bind(7, row.tws_client_id).Bind(8, NowText());
  if (s.Step()) return s.Int(0);
  IBR_RETURN_IF_ERROR(s.status());
  // Nothing changed: the row is there as it was.
  auto sel = Stmt("SELECT id FROM server_instances WHERE instance_name = ?1");
  if (!sel.ok()) return sel.status();
  (*sel)->Bind(1, row.instance_name);
  if ((*sel)->Step()) return (*sel)->Int(0);
  IBR_RETURN_IF_ERROR((*sel)->status());
  return Status::Internal("catalog " + db_->path() + ": instance " + row.instance_name + " vanished during its upsert");
}

Result<std::optional<InstanceRow>> Catalog::GetInstance() {
  return SelectRow(stmts_, *db_, kInstances, "ORDER BY id LIMIT 1");
}

// ----------------------------------------------------------------- sessions

Result<std::int64_t> Catalog::InsertSession(const SessionRow& row) {
  auto st = Stmt(
      "INSERT INTO collection_sessions (server_instance_id, session_start, session_end, status, session_kind, "
      "config_snapshot, total_messages_collected, total_storage_bytes, termination_reason, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) RETURNING id");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  s.Bind(1, row.server_instance_id);
  BindTime(s, 2, row.session_start);
  BindTime(s, 3, row.session_end);
  s.Bind(4, SessionStatusName(row.status)).Bind(5, SessionKindName(row.kind)).Bind(6, row.config_snapshot);
  s.Bind(7, row.total_messages_collected).Bind(8, row.total_storage_bytes).Bind(9, row.termination_reason);
  s.Bind(10, NowText());
  return ReturnedId(s, db_->path());
}

Status Catalog::UpdateSession(const SessionRow& row) {
  auto st = Stmt(
      "UPDATE collection_sessions SET session_end = ?2, status = ?3, total_messages_collected = ?4, "
      "total_storage_bytes = ?5, termination_reason = ?6, updated_at = ?7, session_start = ?8 "
      "WHERE id = ?1 AND (session_end, status, total_messages_collected, total_storage_bytes, termination_reason, "
      "session_start) IS NOT (?2, ?3, ?4, ?5, ?6, ?8)");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  s.Bind(1, row.id);
  BindTime(s, 2, row.session_end);
  s.Bind(3, SessionStatusName(row.status)).Bind(4, row.total_messages_collected).Bind(5, row.total_storage_bytes);
  s.Bind(6, row.termination_reason).Bind(7, NowText());
  BindTime(s, 8, row.session_start);
  IBR_RETURN_IF_ERROR(s.Run());
  if (db_->Changes() > 0) return Status::Ok();
  auto got = GetSession(row.id);
  if (!got.ok()) return got.status();
  if (!*got) return Status::NotFound("catalog " + db_->path() + ": no collection session with id " + std::to_string(row.id));
  return Status::Ok();  // unchanged
}

Result<std::vector<SessionRow>> Catalog::ListSessions(std::optional<SessionStatus> status) {
  return SelectRows(stmts_, *db_, kSessions, "WHERE ?1 IS NULL OR status = ?1 ORDER BY id", [&](Statement& s) {
    if (status) s.Bind(1, SessionStatusName(*status));
  });
}

Result<std::optional<SessionRow>> Catalog::GetSession(std::int64_t id) {
  return SelectRow(stmts_, *db_, kSessions, "WHERE id = ?1", [&](Statement& s) { s.Bind(1, id); });
}

Status Catalog::UpsertSessionContract(const SessionContractRow& row) {
  auto st = Stmt(
      "INSERT INTO session_contracts (collection_session_id, contract_id, symbol, tick_types, messages_collected, "
      "storage_bytes, first_message_time, last_message_time, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) "
      "ON CONFLICT (collection_session_id, contract_id) DO UPDATE SET symbol = excluded.symbol, "
      "tick_types = excluded.tick_types, messages_collected = excluded.messages_collected, "
      "storage_bytes = excluded.storage_bytes, first_message_time = excluded.first_message_time, "
      "last_message_time = excluded.last_message_time, updated_at = excluded.updated_at "
      "WHERE (symbol, tick_types, messages_collected, storage_bytes, first_message_time, last_message_time) IS NOT "
      "(excluded.symbol, excluded.tick_types, excluded.messages_collected, excluded.storage_bytes, "
      "excluded.first_message_time, excluded.last_message_time)");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  s.Bind(1, row.collection_session_id).Bind(2, row.contract_id).Bind(3, row.symbol);
  s.Bind(4, TickTypesToJson(row.tick_types)).Bind(5, row.messages_collected).Bind(6, row.storage_bytes);
  BindTime(s, 7, row.first_message_time);
  BindTime(s, 8, row.last_message_time);
  s.Bind(9, NowText());
  return s.Run();
}

Result<std::vector<SessionContractRow>> Catalog::ListSessionContracts(std::int64_t session_id) {
  return SelectRows(stmts_, *db_, kSessionContracts, "WHERE collection_session_id = ?1 ORDER BY contract_id",
                    [&](Statement& s) { s.Bind(1, session_id); });
}

}  // namespace ibr::catalog
