// Catalog: the SQLite index of one storage root ({storage}/metadata/catalog.sqlite).
//
// Opening read-write creates the file (and directory) if needed, sets WAL, applies the
// embedded numbered migrations (schema/sqlite/) and makes the generation id on
// creation; a catalog whose schema is newer than this binary is refused with a
// message naming the version needed. Opening read-only changes nothing (and
// fails with NotFound when there is no catalog). Every write goes through the
// change-tracking triggers, so ib-sync sees it. One Catalog per thread; the
// writer thread owns the read-write one. Each operation is atomic on its own
// and joins the caller's transaction when one is open (Transaction t(cat.db())).
// Tables, keys and change tracking: CATALOG.md beside this file.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog_rows.h"
#include "catalog/sqlite_db.h"
#include "catalog/statement_cache.h"
#include "common/clock.h"
#include "common/status.h"

namespace ibr::catalog {

constexpr int kSchemaVersion = 3;  // = number of the newest schema/sqlite migration (numbers may skip)

class Catalog {
 public:
  enum class Mode { kReadWrite, kReadOnly };
  // `clock` stamps created_at/updated_at; must outlive the Catalog.
  static Result<std::unique_ptr<Catalog>> Open(const std::string& path, Mode mode, const Clock& clock);

  const std::string& generation_id() const { return generation_id_; }
  int schema_version() const { return schema_version_; }
  // change_counter.value: the highest change number handed out (0 when empty).
  Result<std::int64_t> MaxChangeNo();
  // Replicated rows and tombstones whose change number is above `after` (what
  // ib-sync has not applied when PostgreSQL holds everything up to `after`),
  // and when the oldest of them changed (nullopt: nothing pending).
  struct PendingChanges {
    std::int64_t rows = 0;
    std::optional<TimeUs> oldest;
  };
  Result<PendingChanges> CountChangesAfter(std::int64_t after);
  SqliteDb& db() { return *db_; }  // for callers that need a transaction (Transaction t(cat.db()))

  // --- instance ---
  // Inserts or, by instance_name, updates host/port/version/...; returns its id.
  Result<std::int64_t> UpsertInstance(const InstanceRow& row);
  Result<std::optional<InstanceRow>> GetInstance();  // the one instance of this root, if any

  // --- sessions ---
  Result<std::int64_t> InsertSession(const SessionRow& row);
  Status UpdateSession(const SessionRow& row);  // by id: start, end, status, counters, reason; NotFound if no such id
  Result<std::vector<SessionRow>> ListSessions(std::optional<SessionStatus> status = std::nullopt);
  Result<std::optional<SessionRow>> GetSession(std::int64_t id);
  Status UpsertSessionContract(const SessionContractRow& row);  // by (session, contract): overwrites the rest
  Result<std::vector<SessionContractRow>> ListSessionContracts(std::int64_t session_id);

  // --- tick files ---
  // Inserts or updates by (contract_id, tick_type, hour_bucket, part); returns id.
  // An update that changes nothing is skipped (no new change number).
  Result<std::int64_t> UpsertTickFile(const TickFileRow& row);
  // NotFound when no such row.
  Status DeleteTickFile(std::uint32_t contract_id, TickType tt, TimeUs hour_bucket, int part);
  // Present files (not retired) of a contract/tick type whose [start_time, end_time] overlaps [start, end)
  // — plus any file whose hour bucket overlaps it — ordered by hour_bucket, part.
  // Every tick of a file lies in its hour bucket (DESIGN "On disk"), so this is
  // the files with hour_bucket in (start - 1h, end): one index range scan.
  Result<std::vector<TickFileRow>> FindFiles(std::uint32_t contract_id, TickType tt, TimeUs start, TimeUs end);
  // Files in the storage root (rows retention retired are left out).
  Result<std::vector<TickFileRow>> ListTickFiles(std::optional<FileStatus> status = std::nullopt);
  // Retention: the row stays as the audit trail, marked deleted/archived at `at`;
  // queries, counts and verify skip it from then on. NotFound unless present.
  Status MarkTickFileRetired(std::uint32_t contract_id, TickType tt, TimeUs hour_bucket, int part,
                             RetentionState state, TimeUs at);
  Result<std::vector<TickFileRow>> ListRetiredTickFiles();
  Result<std::optional<TickFileRow>> GetTickFile(std::uint32_t contract_id, TickType tt, TimeUs hour_bucket, int part);
  // How many tick_files rows are open and sealed: the whole root, whichever
  // session wrote them (the status page and /metrics count from here).
  struct FileCounts {
    std::int64_t open = 0, sealed = 0;
  };
  Result<FileCounts> CountTickFiles();

  // Recomputes daily_tick_stats rows for (contract, tick type, UTC date) from
  // tick_files (deletes the row when no files are left).
  // InvalidArgument unless date is a real 'YYYY-MM-DD'.
  Status RecomputeDailyStats(std::uint32_t contract_id, TickType tt, const std::string& date);
  Status RecomputeAllDailyStats();
  // All rows, or one contract's; ordered by contract_id, tick_type, date.
  Result<std::vector<DailyTickStatsRow>> ListDailyStats(std::optional<std::uint32_t> contract_id = std::nullopt);

  // --- contracts ---
  // Inserts or merges: keeps first_seen min, last_seen max; non-empty symbol,
  // exchange, currency, contract_type win. The configuration fields (active,
  // tracked, tick_types, buffer_hours) are overwritten only when row.tracked is
  // true, so file-derived upserts (tracked = false) never untrack a contract
  // (UntrackContract does).
  Status UpsertContract(const ContractRow& row);
  Result<std::vector<ContractRow>> ListContracts();
  // The contract left IB_STREAM_TRACKED_CONTRACTS: tracked = 0, active = 0
  // (tick_types and buffer_hours stay as they were configured). True when the
  // row changed; false when it was already untracked or does not exist.
  Result<bool> UntrackContract(std::uint32_t contract_id);

  // --- stream events, outages, rejects, sources, migrations ---
  Result<std::int64_t> InsertStreamEvent(const StreamEventRow& row);
  Result<std::vector<StreamEventRow>> ListStreamEvents(std::optional<std::int64_t> session_id = std::nullopt);
  Result<std::int64_t> InsertOutage(const OutageRow& row);
  Status UpdateOutage(const OutageRow& row);  // by id; NotFound if no such id
  Result<std::vector<OutageRow>> ListOutages(std::optional<std::int64_t> session_id = std::nullopt);
  Status AddRejects(std::int64_t session_id, const std::map<std::string, std::int64_t>& by_reason);
  Result<std::map<std::string, std::int64_t>> RejectTotals();  // all sessions
  // The latest source with this hash (several exist after --force).
  Result<std::optional<IngestedSourceRow>> FindIngestedSource(const std::string& content_hash);
  Result<std::int64_t> InsertIngestedSource(const IngestedSourceRow& row);
  Result<std::int64_t> InsertMigrationEvent(const MigrationEventRow& row);
  Status UpdateMigrationEvent(const MigrationEventRow& row);  // by id; NotFound if no such id
  Result<std::vector<MigrationEventRow>> ListMigrationEvents();

  // Deletes every file-derived row (tick_files, daily_tick_stats, contracts
  // not tracked) — rebuild-catalog calls this inside a transaction, then re-adds.
  Status ClearFileDerivedTables();

 private:
  Catalog(std::unique_ptr<SqliteDb> db, const Clock& clock) : db_(std::move(db)), clock_(clock) {}
  Status Migrate();
  Status LoadMeta();
  Result<StatementCache::Lease> Stmt(std::string_view sql) { return stmts_.Get(*db_, sql); }
  Status WriteDailyStats(std::uint32_t contract_id, TickType tt, const std::string& date);
  std::string NowText() const;

  std::unique_ptr<SqliteDb> db_;
  const Clock& clock_;
  std::string generation_id_;
  int schema_version_ = 0;
  StatementCache stmts_;  // declared after db_: finalized before the connection closes
};

}  // namespace ibr::catalog
