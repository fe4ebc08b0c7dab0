// Catalog: stream events, outages, reject counts, ingested sources, migration events.
#include "catalog/catalog.h"
#include "catalog/row_codec.h"

namespace ibr::catalog {
namespace {

constexpr const char* kStreamEventCols =
    "id, collection_session_id, stream_id, contract_id, tick_type, event_type, event_time, code, raw_message";

StreamEventRow ReadStreamEvent(RowReader& r) {
  StreamEventRow row;
  row.id = r.Int("id");
  row.collection_session_id = r.OptInt("collection_session_id");
  row.stream_id = r.Text("stream_id");
  row.contract_id = r.OptContractId("contract_id");
  row.tick_type = r.OptTick("tick_type");
  row.event_type = r.Text("event_type");
  row.event_time = r.Time("event_time");
  row.code = r.OptText("code");
  row.raw_message = r.OptText("raw_message");
  return row;
}
constexpr RowSpec<StreamEventRow> kStreamEvents{"stream_events", kStreamEventCols, &ReadStreamEvent};

constexpr const char* kOutageCols =
    "id, collection_session_id, contract_id, tick_type, outage_start, outage_end, cause";

OutageRow ReadOutage(RowReader& r) {
  OutageRow row;
  row.id = r.Int("id");
  row.collection_session_id = r.Int("collection_session_id");
  row.contract_id = r.ContractId("contract_id");
  row.tick_type = r.OptTick("tick_type");
  row.outage_start = r.Time("outage_start");
  row.outage_end = r.OptTime("outage_end");
  row.cause = r.Text("cause");
  return row;
}
constexpr RowSpec<OutageRow> kOutages{"outages", kOutageCols, &ReadOutage};

constexpr const char* kSourceCols =
    "id, content_hash, source_name, source_kind, bytes, lines, accepted, rejected, collection_session_id, "
    "ingested_at";

IngestedSourceRow ReadSource(RowReader& r) {
  IngestedSourceRow row;
  row.id = r.Int("id");
  row.content_hash = r.Text("content_hash");
  row.source_name = r.Text("source_name");
  row.source_kind = r.Text("source_kind");
  row.bytes = r.Int("bytes");
  row.lines = r.Int("lines");
  row.accepted = r.Int("accepted");
  row.rejected = r.Int("rejected");
  row.collection_session_id = r.OptInt("collection_session_id");
  row.ingested_at = r.Time("ingested_at");
  return row;
}
constexpr RowSpec<IngestedSourceRow> kSources{"ingested_sources", kSourceCols, &ReadSource};

constexpr const char* kMigrationCols =
    "id, event_type, event_status, source_instance, target_instance, event_start, event_end, migration_type, "
    "contracts_migrated, validation_results, notes, metadata";

MigrationEventRow ReadMigration(RowReader& r) {
  MigrationEventRow row;
  row.id = r.Int("id");
  row.event_type = r.Text("event_type");
  row.event_status = r.Text("event_status");
  row.source_instance = r.OptText("source_instance");
  row.target_instance = r.OptText("target_instance");
  row.event_start = r.Time("event_start");
  row.event_end = r.OptTime("event_end");
  row.migration_type = r.Text("migration_type");
  row.contracts_migrated = r.ContractIds("contracts_migrated");
  row.validation_results = r.OptText("validation_results");
  row.notes = r.OptText("notes");
  row.metadata = r.OptText("metadata");
  return row;
}
constexpr RowSpec<MigrationEventRow> kMigrations{"migration_events", kMigrationCols, &ReadMigration};

// Binds the migration event's fields (all but id) to ?2..?12.
void BindMigration(Statement& s, const MigrationEventRow& row) {
  s.Bind(2, row.event_type).Bind(3, row.event_status).Bind(4, row.source_instance).Bind(5, row.target_instance);
  BindTime(s, 6, row.event_start);
  BindTime(s, 7, row.event_end);
  s.Bind(8, row.migration_type).Bind(9, ContractIdsToJson(row.contracts_migrated));
  s.Bind(10, row.validation_results).Bind(11, row.notes).Bind(12, row.metadata);
}

// Binds the outage's fields (all but id) to ?2..?7.
void BindOutage(Statement& s, const OutageRow& row) {
  s.Bind(2, row.collection_session_id).Bind(3, row.contract_id);
  BindTickType(s, 4, row.tick_type);
  BindTime(s, 5, row.outage_start);
  BindTime(s, 6, row.outage_end);
  s.Bind(7, row.cause);
}

}  // namespace

// ------------------------------------------------------------ stream events

Result<std::int64_t> Catalog::InsertStreamEvent(const StreamEventRow& row) {
  auto st = Stmt(
      "INSERT INTO stream_events (collection_session_id, stream_id, contract_id, tick_type, event_type, event_time, "
      "code, raw_message, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  s.Bind(1, row.collection_session_id).Bind(2, row.stream_id).Bind(3, row.contract_id);
  BindTickType(s, 4, row.tick_type);
  s.Bind(5, row.event_type);
  BindTime(s, 6, row.event_time);
  s.Bind(7, row.code).Bind(8, row.raw_message).Bind(9, NowText());
  return ReturnedId(s, db_->path());
}

Result<std::vector<StreamEventRow>> Catalog::ListStreamEvents(std::optional<std::int64_t> session_id) {
  return SelectRows(stmts_, *db_, kStreamEvents,
                    "WHERE ?1 IS NULL OR collection_session_id = ?1 ORDER BY event_time, id",
                    [&](Statement& s) { s.Bind(1, session_id); });
}

// ------------------------------------------------------------------ outages

Result<std::int64_t> Catalog::InsertOutage(const OutageRow& row) {
  auto st = Stmt(
      "INSERT INTO outages (collection_session_id, contract_id, tick_type, outage_start, outage_end, cause, "
      "created_at, updated_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?1, ?1) RETURNING id");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  s.Bind(1, NowText());
  BindOutage(s, row);
  return ReturnedId(s, db_->path());
}

Status Catalog::UpdateOutage(const OutageRow& row) {
  auto st = Stmt(
      "UPDATE outages SET collection_session_id = ?2, contract_id = ?3, tick_type = ?4, outage_start = ?5, "
      "outage_end = ?6, cause = ?7, updated_at = ?8 WHERE id = ?1");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  s.Bind(1, row.id).Bind(8, NowText());
  BindOutage(s, row);
  IBR_RETURN_IF_ERROR(s.Run());
  if (db_->Changes() == 0) return Status::NotFound("catalog " + db_->path() + ": no outage with id " + std::to_string(row.id));
  return Status::Ok();
}

Result<std::vector<OutageRow>> Catalog::ListOutages(std::optional<std::int64_t> session_id) {
  return SelectRows(stmts_, *db_, kOutages,
                    "WHERE ?1 IS NULL OR collection_session_id = ?1 ORDER BY outage_start, id",
                    [&](Statement& s) { s.Bind(1, session_id); });
}

// ------------------------------------------------------------------ rejects

Status Catalog::AddRejects(std::int64_t session_id, const std::map<std::string, std::int64_t>& by_reason) {
  WriteScope scope(*db_);
  IBR_RETURN_IF_ERROR(scope.status());
  auto st = Stmt(
      "INSERT INTO reject_counts (collection_session_id, reason, count, updated_at) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (collection_session_id, reason) DO UPDATE SET count = count + excluded.count, "
      "updated_at = excluded.updated_at");
  if (!st.ok()) return st.status();
  const std::string now = NowText();
  for (const auto& [reason, count] : by_reason) {
    if (count == 0) continue;
    Statement& s = **st;
    s.Bind(1, session_id).Bind(2, reason).Bind(3, count).Bind(4, now);
    IBR_RETURN_IF_ERROR(s.Run());
    s.Reset();
  }
  return scope.Release();
}

Result<std::map<std::string, std::int64_t>> Catalog::RejectTotals() {
  auto st = Stmt("SELECT reason, sum(count) FROM reject_counts GROUP BY reason");
  if (!st.ok()) return st.status();
  std::map<std::string, std::int64_t> out;
  Statement& s = **st;
  while (s.Step()) out[s.Text(0)] = s.Int(1);
  IBR_RETURN_IF_ERROR(s.status());
  return out;
}

// --------------------------------------------------------- ingested sources

Result<std::optional<IngestedSourceRow>> Catalog::FindIngestedSource(const std::string& content_hash) {
  return SelectRow(stmts_, *db_, kSources, "WHERE content_hash = ?1 ORDER BY id DESC LIMIT 1",
                   [&](Statement& s) { s.Bind(1, content_hash); });
}

Result<std::int64_t> Catalog::InsertIngestedSource(const IngestedSourceRow& row) {
  auto st = Stmt(
      "INSERT INTO ingested_sources (content_hash, source_name, source_kind, bytes, lines, accepted, rejected, "
      "collection_session_id, ingested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  s.Bind(1, row.content_hash).Bind(2, row.source_name).Bind(3, row.source_kind).Bind(4, row.bytes);
  s.Bind(5, row.lines).Bind(6, row.accepted).Bind(7, row.rejected).Bind(8, row.collection_session_id);
  BindTime(s, 9, row.ingested_at);
  return ReturnedId(s, db_->path());
}

// --------------------------------------------------------- migration events

Result<std::int64_t> Catalog::InsertMigrationEvent(const MigrationEventRow& row) {
  auto st = Stmt(
      "INSERT INTO migration_events (event_type, event_status, source_instance, target_instance, event_start, "
      "event_end, migration_type, contracts_migrated, validation_results, notes, metadata, created_at, updated_at) "
      "VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?1, ?1) RETURNING id");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  s.Bind(1, NowText());
  BindMigration(s, row);
  return ReturnedId(s, db_->path());
}

Status Catalog::UpdateMigrationEvent(const MigrationEventRow& row) {
  auto st = Stmt(
      "UPDATE migration_events SET event_type = ?2, event_status = ?3, source_instance = ?4, target_instance = ?5, "
      "event_start = ?6, event_end = ?7, migration_type = ?8, contracts_migrated = ?9, validation_results = ?10, "
      "notes = ?11, metadata = ?12, updated_at = ?13 WHERE id = ?1");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  s.Bind(1, row.id).Bind(13, NowText());
  BindMigration(s, row);
  IBR_RETURN_IF_ERROR(s.Run());
  if (db_->Changes() == 0) {
    return Status::NotFound("catalog " + db_->path() + ": no migration event with id " + std::to_string(row.id));
  }
  return Status::Ok();
}

Result<std::vector<MigrationEventRow>> Catalog::ListMigrationEvents() {
  return SelectRows(stmts_, *db_, kMigrations, "ORDER BY id");
}

}  // namespace ibr::catalog
