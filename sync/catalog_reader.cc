#include "catalog_reader.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "common/json_text.h"
#include "common/time_text.h"
#include "value_text.h"

namespace ibr::sync {

using catalog::SqliteDb;
using catalog::Statement;
using catalog::Transaction;

namespace {

std::string Quoted(const std::string& name) { return "\"" + name + "\""; }

std::string SelectList(const TableSpec& t) {
  std::string s;
  for (const auto& c : t.columns) {
    s += Quoted(c.name);
    s += ", ";
  }
  return s + "change_no";
}

Cell ReadCell(const Statement& st, int col, ColumnType type) {
  if (st.IsNull(col)) return std::monostate{};
  switch (type) {
    case ColumnType::kInt:
    case ColumnType::kBool:
      return st.Int(col);
    case ColumnType::kReal:
      return st.Double(col);
    default:
      return st.Text(col);
  }
}

// Every table whose change numbers count: the instance, the replicated tables, tombstones.
std::vector<const TableSpec*> ChangeSources() {
  std::vector<const TableSpec*> v{&InstanceTable()};
  for (const auto& t : ReplicatedTables()) v.push_back(&t);
  v.push_back(&TombstoneTable());
  return v;
}

Result<std::int64_t> QueryInt(SqliteDb& db, const std::string& sql, std::optional<std::int64_t> bind) {
  auto st = db.Prepare(sql);
  if (!st.ok()) return st.status();
  if (bind) st->Bind(1, *bind);
  std::int64_t v = 0;
  if (st->Step()) v = st->IsNull(0) ? 0 : st->Int(0);
  if (!st->status().ok()) return st->status();
  return v;
}

}  // namespace

Result<std::unique_ptr<CatalogReader>> CatalogReader::Open(const std::string& catalog_path) {
  auto db = SqliteDb::Open(catalog_path, SqliteDb::Mode::kReadOnly);
  if (!db.ok()) return db.status();
  return std::unique_ptr<CatalogReader>(new CatalogReader(std::move(db).value()));
}

Result<CatalogReader::Head> CatalogReader::ReadHead() {
  Transaction tx(*db_);
  IBR_RETURN_IF_ERROR(tx.status());
  auto head = ReadHeadInTransaction();
  IBR_RETURN_IF_ERROR(tx.Commit());
  return head;
}

Result<CatalogReader::Head> CatalogReader::ReadHeadInTransaction() {
  Head head;
  {
    auto st = db_->Prepare("SELECT value FROM catalog_meta WHERE key = 'generation_id'");
    if (!st.ok()) return st.status();
    if (st->Step()) head.generation = st->Text(0);
    IBR_RETURN_IF_ERROR(st->status());
    if (head.generation.empty()) {
      return Status::FailedPrecondition("catalog " + db_->path() + " has no generation_id in catalog_meta");
    }
  }
  auto max = QueryInt(*db_, "SELECT value FROM change_counter WHERE id = 1", std::nullopt);
  if (!max.ok()) return max.status();
  head.max_change_no = *max;

  std::vector<Row> rows;
  IBR_RETURN_IF_ERROR(ReadRows(InstanceTable(), "1 = 1", [](Statement&) {}, &rows, nullptr));
  if (rows.size() > 1) {
    return Status::FailedPrecondition("catalog " + db_->path() + " holds " + std::to_string(rows.size()) +
                                      " server_instances rows; a storage root belongs to one instance");
  }
  if (!rows.empty()) {
    head.instance = std::move(rows[0]);
    head.instance_name = head.instance->at(InstanceTable().ColumnIndex("instance_name")).value_or("");
  }
  return head;
}

Status CatalogReader::ReadRows(const TableSpec& table, const std::string& where,
                               const std::function<void(Statement&)>& bind, std::vector<Row>* rows,
                               std::vector<std::int64_t>* change_nos) {
  std::string sql = "SELECT " + SelectList(table) + " FROM " + Quoted(table.name) + " WHERE " + where +
                    " ORDER BY change_no";
  auto st = db_->Prepare(sql);
  if (!st.ok()) return st.status();
  bind(*st);
  const int n = static_cast<int>(table.columns.size());
  while (st->Step()) {
    Row row;
    row.reserve(n);
    for (int i = 0; i < n; ++i) {
      const ColumnSpec& col = table.columns[i];
      auto v = ToPgText(col, ReadCell(*st, i, col.type));
      if (!v.ok()) {
        return Status::InvalidArgument("catalog " + db_->path() + ", table " + table.name + ", change " +
                                       std::to_string(st->Int(n)) + ": " + v.status().message() +
                                       " (fix the row or run `ib-recorder rebuild-catalog`)");
      }
      row.push_back(std::move(v).value());
    }
    if (change_nos) change_nos->push_back(st->Int(n));
    rows->push_back(std::move(row));
  }
  return st->status();
}

Result<Batch> CatalogReader::ReadBatch(std::int64_t after, std::size_t max_rows) {
  if (max_rows == 0) max_rows = 1;
  Transaction tx(*db_);
  IBR_RETURN_IF_ERROR(tx.status());
  auto head = ReadHeadInTransaction();
  if (!head.ok()) return head.status();
  if (!head->instance) {
    return Status::FailedPrecondition("catalog " + db_->path() +
                                      " has no server_instances row yet (the recorder has not run on this root)");
  }
  Batch batch;
  batch.instance_name = head->instance_name;
  batch.instance = *head->instance;
  batch.generation = head->generation;
  batch.from_change_no = after;
  batch.catalog_max_change_no = head->max_change_no;
  if (head->max_change_no <= after) {
    batch.to_change_no = after;
    batch.reaches_end = true;
    IBR_RETURN_IF_ERROR(tx.Commit());
    return batch;
  }

  // The window (after, hi]: the max_rows smallest change numbers over all sources.
  std::vector<std::int64_t> nos;
  for (const TableSpec* t : ChangeSources()) {
    auto st = db_->Prepare("SELECT change_no FROM " + Quoted(t->name) +
                           " WHERE change_no > ?1 ORDER BY change_no LIMIT ?2");
    if (!st.ok()) return st.status();
    st->Bind(1, after).Bind(2, static_cast<std::int64_t>(max_rows));
    while (st->Step()) nos.push_back(st->Int(0));
    IBR_RETURN_IF_ERROR(st->status());
  }
  std::int64_t hi = head->max_change_no;
  if (nos.size() > max_rows) {
    std::nth_element(nos.begin(), nos.begin() + (max_rows - 1), nos.end());
    hi = nos[max_rows - 1];
  }
  batch.to_change_no = hi;
  batch.reaches_end = hi == head->max_change_no;

  // Tombstones of the window.
  {
    auto st = db_->Prepare(
        "SELECT table_name, row_key, change_no FROM tombstones WHERE change_no > ?1 AND change_no <= ?2 "
        "ORDER BY change_no");
    if (!st.ok()) return st.status();
    st->Bind(1, after).Bind(2, hi);
    while (st->Step()) {
      std::string table_name = st->Text(0);
      std::string key_text = st->Text(1);
      std::int64_t change_no = st->Int(2);
      const TableSpec* spec = FindTable(table_name);
      if (spec == &InstanceTable()) {
        batch.warnings.push_back("tombstone of server_instances ignored: the instance's central history is kept");
        continue;
      }
      if (!spec) {
        batch.warnings.push_back("tombstone of unknown table '" + table_name + "' ignored");
        continue;
      }
      nlohmann::json key = nlohmann::json::parse(key_text, nullptr, false);
      Tombstone t{spec, {}, change_no};
      bool ok = key.is_object();
      for (const auto& k : spec->natural_key) {
        if (!ok) break;
        const ColumnSpec& col = spec->columns[spec->ColumnIndex(k)];
        auto it = key.find(k);
        Cell cell = std::monostate{};
        if (it == key.end()) {
          ok = false;
        } else if (it->is_number_integer()) {
          cell = it->get<std::int64_t>();
        } else if (it->is_number()) {
          cell = it->get<double>();
        } else if (it->is_string()) {
          cell = it->get<std::string>();
        }
        auto v = ToPgText(col, cell);
        if (!v.ok() || !*v) ok = false;
        if (ok) t.key.push_back(std::move(v).value());
      }
      if (!ok) {
        batch.warnings.push_back("tombstone " + std::to_string(change_no) + " of " + table_name +
                                 " has an unusable row_key " + key_text + "; ignored");
        continue;
      }
      batch.tombstones.push_back(std::move(t));
    }
    IBR_RETURN_IF_ERROR(st->status());
  }

  // Rows of the window, parents first.
  const auto& tables = ReplicatedTables();
  std::vector<TableRows> all(tables.size());
  for (std::size_t i = 0; i < tables.size(); ++i) {
    all[i].table = &tables[i];
    IBR_RETURN_IF_ERROR(ReadRows(
        tables[i], "change_no > ?1 AND change_no <= ?2", [&](Statement& st) { st.Bind(1, after).Bind(2, hi); },
        &all[i].rows, nullptr));
  }

  // Sessions referenced by rows of this window but changed after it: send their current row now.
  TableRows& sessions = all[0];
  std::set<std::string> have;
  for (const Row& r : sessions.rows) have.insert(*r[0]);
  std::set<std::string> wanted;
  for (const auto& tr : all) {
    if (tr.table->session_column.empty()) continue;
    int col = tr.table->ColumnIndex(tr.table->session_column);
    for (const Row& r : tr.rows) {
      if (r[col] && !have.count(*r[col])) wanted.insert(*r[col]);
    }
  }
  if (!wanted.empty()) {
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& id : wanted) ids.push_back(id);  // bound as one JSON array, never spliced into the SQL
    std::vector<Row> rows;
    std::vector<std::int64_t> change_nos;
    const std::string ids_json = SafeDump(ids);
    IBR_RETURN_IF_ERROR(ReadRows(
        tables[0], "id IN (SELECT CAST(value AS INTEGER) FROM json_each(?1))",
        [&](Statement& st) { st.Bind(1, ids_json); }, &rows, &change_nos));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      have.insert(*rows[i][0]);
      // One changed at or before `after` was already sent in this generation.
      if (change_nos[i] > hi) sessions.rows.push_back(std::move(rows[i]));
    }
    // Rows whose session does not exist at all cannot be placed centrally: leave them out.
    for (auto& tr : all) {
      if (tr.table->session_column.empty()) continue;
      int col = tr.table->ColumnIndex(tr.table->session_column);
      std::size_t before = tr.rows.size();
      std::erase_if(tr.rows, [&](const Row& r) { return r[col] && !have.count(*r[col]); });
      if (tr.rows.size() != before) {
        batch.warnings.push_back(std::to_string(before - tr.rows.size()) + " " + tr.table->name +
                                 " rows refer to sessions missing from the catalog; left out");
      }
    }
  }
  for (auto& tr : all) {
    if (!tr.rows.empty()) batch.tables.push_back(std::move(tr));
  }
  IBR_RETURN_IF_ERROR(tx.Commit());
  return batch;
}

Result<std::int64_t> CatalogReader::CountPending(std::int64_t after) {
  Transaction tx(*db_);
  IBR_RETURN_IF_ERROR(tx.status());
  std::int64_t n = 0;
  for (const TableSpec* t : ChangeSources()) {
    auto c = QueryInt(*db_, "SELECT count(*) FROM " + Quoted(t->name) + " WHERE change_no > ?1", after);
    if (!c.ok()) return c.status();
    n += *c;
  }
  IBR_RETURN_IF_ERROR(tx.Commit());
  return n;
}

Result<std::optional<TimeUs>> CatalogReader::OldestPendingChange(std::int64_t after) {
  Transaction tx(*db_);
  IBR_RETURN_IF_ERROR(tx.status());
  std::optional<std::int64_t> best_no;
  std::optional<TimeUs> best_time;
  for (const TableSpec* t : ChangeSources()) {
    auto st = db_->Prepare("SELECT change_no, " + Quoted(t->change_time_column) + " FROM " + Quoted(t->name) +
                           " WHERE change_no > ?1 ORDER BY change_no LIMIT 1");
    if (!st.ok()) return st.status();
    st->Bind(1, after);
    if (st->Step() && (!best_no || st->Int(0) < *best_no)) {
      best_no = st->Int(0);
      best_time = ParseIsoTimestamp(st->Text(1));
    }
    IBR_RETURN_IF_ERROR(st->status());
  }
  IBR_RETURN_IF_ERROR(tx.Commit());
  return best_time;
}

Result<std::map<std::string, std::int64_t>> CatalogReader::CountRows() {
  Transaction tx(*db_);
  IBR_RETURN_IF_ERROR(tx.status());
  std::map<std::string, std::int64_t> counts;
  std::vector<const TableSpec*> tables{&InstanceTable()};
  for (const auto& t : ReplicatedTables()) tables.push_back(&t);
  for (const TableSpec* t : tables) {
    auto c = QueryInt(*db_, "SELECT count(*) FROM " + Quoted(t->name), std::nullopt);
    if (!c.ok()) return c.status();
    counts[t->name] = *c;
  }
  IBR_RETURN_IF_ERROR(tx.Commit());
  return counts;
}

}  // namespace ibr::sync
