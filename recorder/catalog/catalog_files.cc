// Catalog: tick files, daily statistics and contracts — the file-derived tables.
#include "catalog/catalog.h"
#include "catalog/row_codec.h"
#include "common/time_text.h"

namespace ibr::catalog {
namespace {

constexpr const char* kTickFileCols =
    "id, contract_id, tick_type, hour_bucket, part, file_path, status, part_reason, start_time, end_time, "
    "file_size_bytes, message_count, compression, checksum, first_sequence, last_sequence, min_price, max_price, "
    "total_volume, price_sum, price_count, notional, retention_state, retired_at";

TickFileRow ReadTickFile(RowReader& r) {
  TickFileRow row;
  row.id = r.Int("id");
  row.contract_id = r.ContractId("contract_id");
  row.tick_type = r.Tick("tick_type");
  row.hour_bucket = r.Time("hour_bucket");
  row.part = static_cast<int>(r.Int("part"));
  row.file_path = r.Text("file_path");
  row.status = r.Parsed("status", &ParseFileStatus);
  row.part_reason = r.Parsed("part_reason", &ParsePartReason);
  row.start_time = r.Time("start_time");
  row.end_time = r.Time("end_time");
  row.file_size_bytes = r.Int("file_size_bytes");
  row.message_count = r.Int("message_count");
  row.compression = r.Text("compression");
  row.checksum = r.OptText("checksum");
  row.first_sequence = r.OptInt("first_sequence");
  row.last_sequence = r.OptInt("last_sequence");
  row.min_price = r.OptDouble("min_price");
  row.max_price = r.OptDouble("max_price");
  row.total_volume = r.OptDouble("total_volume");
  row.price_sum = r.OptDouble("price_sum");
  row.price_count = r.Int("price_count");
  row.notional = r.OptDouble("notional");
  row.retention_state = r.OptText("retention_state").value_or("");
  row.retired_at = r.OptTime("retired_at");
  return row;
}
constexpr RowSpec<TickFileRow> kTickFiles{"tick_files", kTickFileCols, &ReadTickFile};

constexpr const char* kDailyCols =
    "contract_id, tick_type, date, total_files, total_messages, total_size_bytes, first_tick, last_tick, "
    "min_price, max_price, avg_price, total_volume, vwap";

DailyTickStatsRow ReadDaily(RowReader& r) {
  DailyTickStatsRow row;
  row.contract_id = r.ContractId("contract_id");
  row.tick_type = r.Tick("tick_type");
  row.date = r.Text("date");
  row.total_files = r.Int("total_files");
  row.total_messages = r.Int("total_messages");
  row.total_size_bytes = r.Int("total_size_bytes");
  row.first_tick = r.OptTime("first_tick");
  row.last_tick = r.OptTime("last_tick");
  row.min_price = r.OptDouble("min_price");
  row.max_price = r.OptDouble("max_price");
  row.avg_price = r.OptDouble("avg_price");
  row.total_volume = r.OptDouble("total_volume");
  row.vwap = r.OptDouble("vwap");
  return row;
}
constexpr RowSpec<DailyTickStatsRow> kDailyStats{"daily_tick_stats", kDailyCols, &ReadDaily};

constexpr const char* kContractCols =
    "contract_id, symbol, exchange, currency, contract_type, first_seen, last_seen, active, tracked, tick_types, "
    "buffer_hours";

ContractRow ReadContract(RowReader& r) {
  ContractRow row;
  row.contract_id = r.ContractId("contract_id");
  row.symbol = r.Text("symbol");
  row.exchange = r.OptText("exchange");
  row.currency = r.OptText("currency");
  row.contract_type = r.OptText("contract_type");
  row.first_seen = r.OptTime("first_seen");
  row.last_seen = r.OptTime("last_seen");
  row.active = r.Bool("active");
  row.tracked = r.Bool("tracked");
  row.tick_types = r.TickTypes("tick_types");
  row.buffer_hours = static_cast<int>(r.Int("buffer_hours"));
  return row;
}
constexpr RowSpec<ContractRow> kContracts{"contracts", kContractCols, &ReadContract};

// Binds contract id, tick type and an hour_bucket bound to ?1..?3: the leading
// columns of tick_files' natural key, in that order.
void BindFileKey(Statement& s, std::uint32_t contract_id, TickType tt, TimeUs hour_bucket) {
  s.Bind(1, contract_id);
  BindTickType(s, 2, tt);
  BindTime(s, 3, hour_bucket);
}

void TakeIfNonEmpty(std::optional<std::string>& into, const std::optional<std::string>& v) {
  if (v && !v->empty()) into = v;
}

// The merge rule of UpsertContract (see catalog.h).
ContractRow MergeContract(ContractRow old, const ContractRow& in) {
  if (!in.symbol.empty()) old.symbol = in.symbol;
  TakeIfNonEmpty(old.exchange, in.exchange);
  TakeIfNonEmpty(old.currency, in.currency);
  TakeIfNonEmpty(old.contract_type, in.contract_type);
  if (in.first_seen && (!old.first_seen || *in.first_seen < *old.first_seen)) old.first_seen = in.first_seen;
  if (in.last_seen && (!old.last_seen || *in.last_seen > *old.last_seen)) old.last_seen = in.last_seen;
  if (in.tracked) {
    old.active = in.active;
    old.tracked = true;
    old.tick_types = in.tick_types;
    old.buffer_hours = in.buffer_hours;
  }
  return old;
}

// [start, next) of a 'YYYY-MM-DD' UTC day, or nullopt when it is not one.
std::optional<std::pair<TimeUs, TimeUs>> DayRange(const std::string& date) {
  if (date.size() != 10) return std::nullopt;
  auto t = ParseIsoTimestamp(date);
  if (!t || FormatIsoDate(*t) != date) return std::nullopt;
  return std::make_pair(*t, *t + kUsPerDay);
}

// NotFound for a (contract, tick type, hour, part) key.
Status NoTickFile(const std::string& db, const char* what, std::uint32_t contract_id, TickType tt, TimeUs hour_bucket,
                  int part) {
  return Status::NotFound("catalog " + db + ": " + what + " " + std::to_string(contract_id) + "/" +
                          std::string(TickTypeName(tt)) + " hour " + FormatIsoTimestamp(hour_bucket) + " part " +
                          std::to_string(part));
}

}  // namespace

// --------------------------------------------------------------- tick files

Result<std::int64_t> Catalog::UpsertTickFile(const TickFileRow& row) {
  // Hot path: one cached statement; a no-op update is skipped (no change number).
  auto st = Stmt(
      "INSERT INTO tick_files (contract_id, tick_type, hour_bucket, part, file_path, status, part_reason, "
      "start_time, end_time, file_size_bytes, message_count, compression, checksum, first_sequence, last_sequence, "
      "min_price, max_price, total_volume, price_sum, price_count, notional, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?22) "
      "ON CONFLICT (contract_id, tick_type, hour_bucket, part) DO UPDATE SET file_path = excluded.file_path, "
      "status = excluded.status, part_reason = excluded.part_reason, start_time = excluded.start_time, "
      "end_time = excluded.end_time, file_size_bytes = excluded.file_size_bytes, "
      "message_count = excluded.message_count, compression = excluded.compression, checksum = excluded.checksum, "
      "first_sequence = excluded.first_sequence, last_sequence = excluded.last_sequence, "
      "min_price = excluded.min_price, max_price = excluded.max_price, total_volume = excluded.total_volume, "
      "price_sum = excluded.price_sum, price_count = excluded.price_count, notional = excluded.notional, "
      "updated_at = excluded.updated_at, retention_state = NULL, retired_at = NULL "
      "WHERE retention_state IS NOT NULL OR (file_path, status, part_reason, start_time, end_time, file_size_bytes, message_count, compression, "
      "checksum, first_sequence, last_sequence, min_price, max_price, total_volume, price_sum, price_count, notional) "
      "IS NOT (excluded.file_path, excluded.status, excluded.part_reason, excluded.start_time, excluded.end_time, "
      "excluded.file_size_bytes, excluded.message_count, excluded.compression, excluded.checksum, "
      "excluded.first_sequence, excluded.last_sequence, excluded.min_price, excluded.max_price, "
      "excluded.total_volume, excluded.price_sum, excluded.price_count, excluded.notional) "
      "RETURNING id");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  BindFileKey(s, row.contract_id, row.tick_type, row.hour_bucket);
  s.Bind(4, row.part).Bind(5, row.file_path).Bind(6, FileStatusName(row.status)).Bind(7, PartReasonName(row.part_reason));
  BindTime(s, 8, row.start_time);
  BindTime(s, 9, row.end_time);
  s.Bind(10, row.file_size_bytes).Bind(11, row.message_count).Bind(12, row.compression).Bind(13, row.checksum);
  s.Bind(14, row.first_sequence).Bind(15, row.last_sequence).Bind(16, row.min_price).Bind(17, row.max_price);
  s.Bind(18, row.total_volume).Bind(19, row.price_sum).Bind(20, row.price_count).Bind(21, row.notional);
  s.Bind(22, NowText());
  if (s.Step()) return s.Int(0);
  IBR_RETURN_IF_ERROR(s.status());
  auto got = GetTickFile(row.contract_id, row.tick_type, row.hour_bucket, row.part);
  if (!got.ok()) return got.status();
  if (!*got) return Status::Internal("catalog " + db_->path() + ": tick file " + row.file_path + " vanished during its upsert");
  return (*got)->id;
}

Status Catalog::DeleteTickFile(std::uint32_t contract_id, TickType tt, TimeUs hour_bucket, int part) {
  auto st = Stmt("DELETE FROM tick_files WHERE contract_id = ?1 AND tick_type = ?2 AND hour_bucket = ?3 AND part = ?4");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  BindFileKey(s, contract_id, tt, hour_bucket);
  s.Bind(4, part);
  IBR_RETURN_IF_ERROR(s.Run());
  if (db_->Changes() == 0) return NoTickFile(db_->path(), "no tick file", contract_id, tt, hour_bucket, part);
  return Status::Ok();
}

Result<std::vector<TickFileRow>> Catalog::FindFiles(std::uint32_t contract_id, TickType tt, TimeUs start, TimeUs end) {
  if (end <= start) return std::vector<TickFileRow>();
  // hour_bucket in (start - 1h, end) <=> [hour_bucket, +1h) overlaps [start, end); it also covers
  // every file whose [start_time, end_time] overlaps, since a file's ticks lie in its hour.
  return SelectRows(stmts_, *db_, kTickFiles,
                    "WHERE contract_id = ?1 AND tick_type = ?2 AND hour_bucket > ?3 AND hour_bucket < ?4 "
                    "AND retention_state IS NULL ORDER BY hour_bucket, part",
                    [&](Statement& s) {
                      BindFileKey(s, contract_id, tt, start - kUsPerHour);
                      BindTime(s, 4, end);
                    });
}

Result<std::vector<TickFileRow>> Catalog::ListTickFiles(std::optional<FileStatus> status) {
  return SelectRows(stmts_, *db_, kTickFiles,
                    "WHERE (?1 IS NULL OR status = ?1) AND retention_state IS NULL "
                    "ORDER BY contract_id, tick_type, hour_bucket, part",
                    [&](Statement& s) {
                      if (status) s.Bind(1, FileStatusName(*status));
                    });
}

Result<std::vector<TickFileRow>> Catalog::ListRetiredTickFiles() {
  return SelectRows(stmts_, *db_, kTickFiles,
                    "WHERE retention_state IS NOT NULL ORDER BY contract_id, tick_type, hour_bucket, part",
                    [](Statement&) {});
}

Status Catalog::MarkTickFileRetired(std::uint32_t contract_id, TickType tt, TimeUs hour_bucket, int part,
                                    RetentionState state, TimeUs at) {
  auto st = Stmt(
      "UPDATE tick_files SET retention_state = ?5, retired_at = ?6, updated_at = ?7 "
      "WHERE contract_id = ?1 AND tick_type = ?2 AND hour_bucket = ?3 AND part = ?4 AND retention_state IS NULL");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  BindFileKey(s, contract_id, tt, hour_bucket);
  s.Bind(4, part).Bind(5, state == RetentionState::kArchived ? "archived" : "deleted");
  BindTime(s, 6, at);
  s.Bind(7, NowText());
  IBR_RETURN_IF_ERROR(s.Run());
  if (db_->Changes() == 0) return NoTickFile(db_->path(), "no present tick file", contract_id, tt, hour_bucket, part);
  return Status::Ok();
}

Result<std::optional<TickFileRow>> Catalog::GetTickFile(std::uint32_t contract_id, TickType tt, TimeUs hour_bucket,
                                                         int part) {
  return SelectRow(stmts_, *db_, kTickFiles,
                   "WHERE contract_id = ?1 AND tick_type = ?2 AND hour_bucket = ?3 AND part = ?4",
                   [&](Statement& s) {
                     BindFileKey(s, contract_id, tt, hour_bucket);
                     s.Bind(4, part);
                   });
}

Result<Catalog::FileCounts> Catalog::CountTickFiles() {
  auto st = Stmt("SELECT status, count(*) FROM tick_files WHERE retention_state IS NULL GROUP BY status");
  if (!st.ok()) return st.status();
  FileCounts counts;
  while ((*st)->Step()) {
    const auto status = ParseFileStatus((*st)->Text(0));
    if (status == FileStatus::kOpen) counts.open = (*st)->Int(1);
    if (status == FileStatus::kSealed) counts.sealed = (*st)->Int(1);
  }
  IBR_RETURN_IF_ERROR((*st)->status());
  return counts;
}

// -------------------------------------------------------------- daily stats

Status Catalog::RecomputeDailyStats(std::uint32_t contract_id, TickType tt, const std::string& date) {
  if (!DayRange(date)) {
    return Status::InvalidArgument("daily stats date '" + date + "' is not a UTC day in the form YYYY-MM-DD");
  }
  WriteScope scope(*db_);
  IBR_RETURN_IF_ERROR(scope.status());
  IBR_RETURN_IF_ERROR(WriteDailyStats(contract_id, tt, date));
  return scope.Release();
}

Status Catalog::WriteDailyStats(std::uint32_t contract_id, TickType tt, const std::string& date) {
  auto range = DayRange(date);
  if (!range) return Status::InvalidArgument("daily stats date '" + date + "' is not a UTC day in the form YYYY-MM-DD");
  // hour_bucket in [day, next day) is substr(hour_bucket, 1, 10) = date for the fixed-width text, but uses the index.
  auto agg = Stmt(
      "SELECT count(*) AS total_files, coalesce(sum(message_count), 0) AS total_messages, "
      "coalesce(sum(file_size_bytes), 0) AS total_size_bytes, min(start_time) AS first_tick, "
      "max(end_time) AS last_tick, min(min_price) AS min_price, max(max_price) AS max_price, "
      "sum(price_sum) AS price_sum, coalesce(sum(price_count), 0) AS price_count, "
      "sum(total_volume) AS total_volume, sum(notional) AS notional "
      "FROM tick_files WHERE contract_id = ?1 AND tick_type = ?2 AND hour_bucket >= ?3 AND hour_bucket < ?4");
  if (!agg.ok()) return agg.status();
  Statement& a = **agg;
  BindFileKey(a, contract_id, tt, range->first);
  BindTime(a, 4, range->second);
  if (!a.Step()) {
    IBR_RETURN_IF_ERROR(a.status());
    return Status::Internal("catalog " + db_->path() + ": aggregate over tick_files gave no row");
  }
  DailyTickStatsRow d;
  d.contract_id = contract_id;
  d.tick_type = tt;
  d.date = date;
  {
    RowReader r(a, db_->path(), "tick_files");
    d.total_files = r.Int("total_files");
    d.total_messages = r.Int("total_messages");
    d.total_size_bytes = r.Int("total_size_bytes");
    d.first_tick = r.OptTime("first_tick");
    d.last_tick = r.OptTime("last_tick");
    d.min_price = r.OptDouble("min_price");
    d.max_price = r.OptDouble("max_price");
    std::optional<double> price_sum = r.OptDouble("price_sum");
    std::int64_t price_count = r.Int("price_count");
    d.total_volume = r.OptDouble("total_volume");
    std::optional<double> notional = r.OptDouble("notional");
    IBR_RETURN_IF_ERROR(r.status());
    if (price_sum && price_count > 0) d.avg_price = *price_sum / static_cast<double>(price_count);
    if (notional && d.total_volume && *d.total_volume > 0) d.vwap = *notional / *d.total_volume;
  }

  if (d.total_files == 0) {
    auto del = Stmt("DELETE FROM daily_tick_stats WHERE contract_id = ?1 AND tick_type = ?2 AND date = ?3");
    if (!del.ok()) return del.status();
    (*del)->Bind(1, contract_id);
    BindTickType(**del, 2, tt);
    (*del)->Bind(3, date);
    return (*del)->Run();
  }
  auto up = Stmt(
      "INSERT INTO daily_tick_stats (contract_id, tick_type, date, total_files, total_messages, total_size_bytes, "
      "first_tick, last_tick, min_price, max_price, avg_price, total_volume, vwap, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14) "
      "ON CONFLICT (contract_id, tick_type, date) DO UPDATE SET total_files = excluded.total_files, "
      "total_messages = excluded.total_messages, total_size_bytes = excluded.total_size_bytes, "
      "first_tick = excluded.first_tick, last_tick = excluded.last_tick, min_price = excluded.min_price, "
      "max_price = excluded.max_price, avg_price = excluded.avg_price, total_volume = excluded.total_volume, "
      "vwap = excluded.vwap, updated_at = excluded.updated_at "
      "WHERE (total_files, total_messages, total_size_bytes, first_tick, last_tick, min_price, max_price, avg_price, "
      "total_volume, vwap) IS NOT (excluded.total_files, excluded.total_messages, excluded.total_size_bytes, "
      "excluded.first_tick, excluded.last_tick, excluded.min_price, excluded.max_price, excluded.avg_price, "
      "excluded.total_volume, excluded.vwap)");
  if (!up.ok()) return up.status();
  Statement& u = **up;
  u.Bind(1, contract_id);
  BindTickType(u, 2, tt);
  u.Bind(3, date).Bind(4, d.total_files).Bind(5, d.total_messages).Bind(6, d.total_size_bytes);
  BindTime(u, 7, d.first_tick);
  BindTime(u, 8, d.last_tick);
  u.Bind(9, d.min_price).Bind(10, d.max_price).Bind(11, d.avg_price).Bind(12, d.total_volume).Bind(13, d.vwap);
  u.Bind(14, NowText());
  return u.Run();
}

Status Catalog::RecomputeAllDailyStats() {
  struct Key {
    std::uint32_t contract_id;
    TickType tt;
    std::string date;
  };
  WriteScope scope(*db_);
  IBR_RETURN_IF_ERROR(scope.status());
  std::vector<Key> keys;
  {
    auto st = Stmt(
        "SELECT contract_id, tick_type, substr(hour_bucket, 1, 10) AS date FROM tick_files "
        "UNION SELECT contract_id, tick_type, date FROM daily_tick_stats");
    if (!st.ok()) return st.status();
    auto got = ReadAll<Key>(**st, db_->path(), "tick_files", [](RowReader& r) {
      return Key{r.ContractId("contract_id"), r.Tick("tick_type"), r.Text("date")};
    });
    if (!got.ok()) return got.status();
    keys = std::move(got).value();
  }
  for (const Key& k : keys) IBR_RETURN_IF_ERROR(WriteDailyStats(k.contract_id, k.tt, k.date));
  return scope.Release();
}

Result<std::vector<DailyTickStatsRow>> Catalog::ListDailyStats(std::optional<std::uint32_t> contract_id) {
  return SelectRows(stmts_, *db_, kDailyStats,
                    "WHERE ?1 IS NULL OR contract_id = ?1 ORDER BY contract_id, tick_type, date",
                    [&](Statement& s) { s.Bind(1, contract_id); });
}

// ---------------------------------------------------------------- contracts

Status Catalog::UpsertContract(const ContractRow& row) {
  WriteScope scope(*db_);
  IBR_RETURN_IF_ERROR(scope.status());
  std::optional<ContractRow> old;
  {
    auto got = SelectRow(stmts_, *db_, kContracts, "WHERE contract_id = ?1",
                         [&](Statement& s) { s.Bind(1, row.contract_id); });
    if (!got.ok()) return got.status();
    old = std::move(got).value();
  }
  ContractRow merged = old ? MergeContract(*old, row) : row;
  if (old && merged == *old) return scope.Release();  // nothing new

  auto st = Stmt(
      "INSERT INTO contracts (contract_id, symbol, exchange, currency, contract_type, first_seen, last_seen, active, "
      "tracked, tick_types, buffer_hours, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) "
      "ON CONFLICT (contract_id) DO UPDATE SET symbol = excluded.symbol, exchange = excluded.exchange, "
      "currency = excluded.currency, contract_type = excluded.contract_type, first_seen = excluded.first_seen, "
      "last_seen = excluded.last_seen, active = excluded.active, tracked = excluded.tracked, "
      "tick_types = excluded.tick_types, buffer_hours = excluded.buffer_hours, updated_at = excluded.updated_at");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  s.Bind(1, merged.contract_id).Bind(2, merged.symbol).Bind(3, merged.exchange).Bind(4, merged.currency);
  s.Bind(5, merged.contract_type);
  BindTime(s, 6, merged.first_seen);
  BindTime(s, 7, merged.last_seen);
  s.Bind(8, merged.active ? 1 : 0).Bind(9, merged.tracked ? 1 : 0).Bind(10, TickTypesToJson(merged.tick_types));
  s.Bind(11, merged.buffer_hours).Bind(12, NowText());
  IBR_RETURN_IF_ERROR(s.Run());
  return scope.Release();
}

Result<bool> Catalog::UntrackContract(std::uint32_t contract_id) {
  auto st = Stmt(
      "UPDATE contracts SET tracked = 0, active = 0, updated_at = ?2 "
      "WHERE contract_id = ?1 AND tracked = 1");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  s.Bind(1, contract_id).Bind(2, NowText());
  IBR_RETURN_IF_ERROR(s.Run());
  return db_->Changes() > 0;
}

Result<std::vector<ContractRow>> Catalog::ListContracts() {
  return SelectRows(stmts_, *db_, kContracts, "ORDER BY contract_id");
}

Status Catalog::ClearFileDerivedTables() {
  WriteScope scope(*db_);
  IBR_RETURN_IF_ERROR(scope.status());
  IBR_RETURN_IF_ERROR(db_->Exec(
      "DELETE FROM tick_files; DELETE FROM daily_tick_stats; DELETE FROM contracts WHERE tracked = 0"));
  return scope.Release();
}

}  // namespace ibr::catalog
