#include "pg_central_store.h"

#include <algorithm>
#include <map>

#include "pg/dsn.h"
#include "pg/named_params.h"
#include "pg/pg_connection.h"
#include "pg/pg_copy_rows.h"
#include "pg_table_sql.h"
#include "schema_installer.h"
#include "value_text.h"

namespace ibr::sync {

namespace {

const char* kReadPositionSql =
    "SELECT sp.catalog_generation, sp.last_change_no, sp.pass_no, sp.resend_pending "
    "FROM sync_positions sp JOIN server_instances si ON si.id = sp.server_instance_id "
    "WHERE si.instance_name = $1";

SyncPosition ReadPosition(pqxx::transaction_base& tx, const std::string& instance_name) {
  pqxx::result r = tx.exec_params(kReadPositionSql, instance_name);
  SyncPosition p;
  if (!r.empty()) {
    p.generation = r[0][0].as<std::string>();
    p.change_no = r[0][1].as<std::int64_t>();
    p.pass_no = r[0][2].as<std::int64_t>();
    p.resend_pending = r[0][3].as<bool>();
  }
  return p;
}

std::string Describe(const SyncPosition& p) {
  if (p.generation.empty()) return "nothing";
  return "generation " + p.generation + " change " + std::to_string(p.change_no) + " pass " +
         std::to_string(p.pass_no);
}

// Raised inside a transaction for a Status that must abort it (caught in this file).
struct AbortBatch {
  Status status;
};

// A statement of pg_table_sql.h with its named parameters bound.
pqxx::result ExecNamed(pqxx::transaction_base& tx, const std::string& sql, const std::map<std::string, Value>& values,
                       const std::string& what) {
  auto bound = pg::BindNamed(sql, values);
  if (!bound.ok()) throw AbortBatch{bound.status()};  // an unbound placeholder: a bug in pg_table_sql.cc
  auto result = pg::ExecBound(tx, *bound, what);
  if (!result.ok()) throw AbortBatch{result.status()};
  return std::move(result).value();
}

}  // namespace

PgCentralStore::PgCentralStore(std::string dsn) : dsn_(std::move(dsn)) {}
PgCentralStore::~PgCentralStore() = default;

void PgCentralStore::Disconnect() { conn_.reset(); }

Status PgCentralStore::EnsureConnected() {
  if (conn_) return Status::Ok();
  auto conn = pg::PgConnect(dsn_);
  if (!conn.ok()) return conn.status();
  try {
    {
      pqxx::read_transaction tx(**conn);
      IBR_RETURN_IF_ERROR(CheckSchemaVersion(tx));
    }
    pqxx::work tx(**conn);
    for (const auto& s : AllPgTableSql()) tx.exec0(s.create_stage);
    tx.commit();
  } catch (...) {
    return pg::PgErrorStatus("prepare the sync session");
  }
  conn_ = std::move(conn).value();
  return Status::Ok();
}

Result<SyncPosition> PgCentralStore::LoadPosition(const std::string& instance_name) {
  IBR_RETURN_IF_ERROR(EnsureConnected());
  try {
    pqxx::read_transaction tx(*conn_);
    return ReadPosition(tx, instance_name);
  } catch (...) {
    Status s = pg::PgErrorStatus("read the sync position of " + instance_name);
    if (pg::IsConnectionLost(s)) conn_.reset();
    return s;
  }
}

Result<SyncPosition> PgCentralStore::ApplyBatch(const Batch& batch) {
  IBR_RETURN_IF_ERROR(EnsureConnected());
  try {
    return ApplyBatchOrThrow(batch);
  } catch (const AbortBatch& abort) {
    if (pg::IsConnectionLost(abort.status)) conn_.reset();
    return abort.status;
  } catch (...) {
    Status s = pg::PgErrorStatus("apply changes " + std::to_string(batch.from_change_no + 1) + ".." +
                             std::to_string(batch.to_change_no) + " of " + batch.instance_name);
    if (pg::IsConnectionLost(s)) conn_.reset();
    return s;
  }
}

Result<SyncPosition> PgCentralStore::ApplyBatchOrThrow(const Batch& b) {
  pqxx::work tx(*conn_);
  // What a failed step says it was doing.
  auto doing = [&b](const std::string& step) {
    return "apply changes " + std::to_string(b.from_change_no + 1) + ".." + std::to_string(b.to_change_no) + " of " +
           b.instance_name + " (" + step + ")";
  };
  tx.exec_params("SELECT pg_advisory_xact_lock(hashtext('ib-sync'), hashtext($1))", b.instance_name);
  const SyncPosition cur = ReadPosition(tx, b.instance_name);
  if (!(cur == b.expected)) {
    return Status::Busy("the central position of " + b.instance_name + " moved (holds " +
                                      Describe(cur) + ", this batch continues from " + Describe(b.expected) +
                                      "): another ib-sync for this instance is running, or a resync started");
  }

  // The instance row: inserted or refreshed, and its central id.
  std::string cols, vals, updates;
  std::map<std::string, Value> instance_values;
  const TableSpec& it = InstanceTable();
  for (std::size_t i = 0; i < it.columns.size(); ++i) {
    const std::string& c = it.columns[i].name;
    if (c == "id") continue;
    cols += (cols.empty() ? "" : ", ") + c;
    vals += (vals.empty() ? "" : ", ") + ("{" + c + "}::") + std::string(it.description->Column(c)->pg_type);
    instance_values[c] = b.instance.at(i);
    if (c != "instance_name") updates += (updates.empty() ? "" : ", ") + c + " = EXCLUDED." + c;
  }
  const std::string id = ExecNamed(tx, "INSERT INTO server_instances (" + cols + ") VALUES (" + vals +
                                           ") ON CONFLICT (instance_name) DO UPDATE SET " + updates + " RETURNING id",
                                   instance_values, doing("the instance row"))
                             .at(0)[0]
                             .as<std::string>();
  const std::int64_t pass = b.starts_pass ? cur.pass_no + 1 : std::max<std::int64_t>(cur.pass_no, 1);
  bool pending = b.starts_pass || cur.resend_pending;
  std::vector<Value> touched_contracts;
  // The named parameters of every PgTableSql statement.
  const std::map<std::string, Value> params{{"instance", id}, {"generation", b.generation}, {"pass", std::to_string(pass)}};
  if (b.starts_pass) tx.exec_params("SELECT begin_generation($1::bigint, $2::text)", id, b.generation);

  // Tombstones, grouped by table (deletes commute), before any upsert.
  std::map<const TableSpec*, std::vector<const Tombstone*>> by_table;
  for (const auto& t : b.tombstones) by_table[t.table].push_back(&t);
  for (const auto& [table, stones] : by_table) {
    const PgTableSql& s = PgSqlFor(*table);
    std::map<std::string, Value> values = params;
    for (std::size_t k = 0; k < table->natural_key.size(); ++k) {
      std::vector<Value> column;
      for (const Tombstone* t : stones) column.push_back(t->key[k]);
      values["k" + std::to_string(k)] = PgArrayLiteral(column);
    }
    pqxx::result r = ExecNamed(tx, s.delete_by_key, values, doing(table->name + " tombstones"));
    if (table->name == "contracts") {
      for (const auto& row : r) touched_contracts.emplace_back(row[0].as<std::string>());
    }
  }
  if (fault_hook_ && !b.tombstones.empty()) fault_hook_("tombstones");

  // Rows: COPY into the staging table, then one upsert that maps local ids.
  for (const TableRows& tr : b.tables) {
    const PgTableSql& s = PgSqlFor(*tr.table);
    if (Status copied = pg::CopyRows(tx, s.stage_table, tr.rows); !copied.ok()) throw AbortBatch{copied};
    pqxx::result r = ExecNamed(tx, s.upsert, params, doing(tr.table->name + " rows"));
    if (r.affected_rows() != tr.rows.size()) {
      return Status::Internal(std::to_string(tr.rows.size() - r.affected_rows()) + " of " +
                              std::to_string(tr.rows.size()) + " " + tr.table->name + " rows of " + b.instance_name +
                              " refer to sessions unknown centrally; batch not applied");
    }
    if (tr.table->name == "contracts") {
      for (const Row& row : tr.rows) touched_contracts.push_back(row[0]);
    }
    if (fault_hook_) fault_hook_(tr.table->name);
  }
  if (!touched_contracts.empty()) {
    tx.exec_params("SELECT refresh_contracts($1::bigint[])", PgArrayLiteral(touched_contracts));
  }

  if (b.reaches_end && pending) {
    tx.exec_params("SELECT sweep_instance($1::bigint, $2::bigint, $3::text)", id, pass, b.generation);
    pending = false;
    if (fault_hook_) fault_hook_("sweep");
  }
  tx.exec_params(
      "INSERT INTO sync_positions AS p (server_instance_id, catalog_generation, last_change_no, pass_no, "
      "resend_pending, rows_applied, updated_at) VALUES ($1::bigint, $2::text, $3::bigint, $4::bigint, $5::boolean, "
      "$6::bigint, now()) ON CONFLICT (server_instance_id) DO UPDATE SET catalog_generation = "
      "EXCLUDED.catalog_generation, last_change_no = EXCLUDED.last_change_no, pass_no = EXCLUDED.pass_no, "
      "resend_pending = EXCLUDED.resend_pending, rows_applied = p.rows_applied + EXCLUDED.rows_applied, "
      "updated_at = now()",
      id, b.generation, b.to_change_no, pass, pending, static_cast<std::int64_t>(b.RowCount()));
  tx.commit();
  return SyncPosition{b.generation, b.to_change_no, pass, pending};
}

Result<std::map<std::string, std::int64_t>> PgCentralStore::CountRows(const std::string& instance_name) {
  IBR_RETURN_IF_ERROR(EnsureConnected());
  try {
    pqxx::read_transaction tx(*conn_);
    std::map<std::string, std::int64_t> counts;
    pqxx::result r = tx.exec_params(
        "SELECT si.id, p.catalog_generation FROM server_instances si "
        "LEFT JOIN sync_positions p ON p.server_instance_id = si.id WHERE si.instance_name = $1",
        instance_name);
    counts[InstanceTable().name] = static_cast<std::int64_t>(r.size());
    const std::map<std::string, Value> params{
        {"instance", r.empty() ? Value() : Value(r[0][0].as<std::string>())},
        {"generation", r.empty() || r[0][1].is_null() ? Value() : Value(r[0][1].as<std::string>())}};
    for (const auto& s : AllPgTableSql()) {
      std::string sql = "SELECT count(*) FROM " + s.central_table + " WHERE server_instance_id = {instance}::bigint";
      if (s.table->KeyedByLocalIds()) sql += " AND catalog_generation = {generation}::text";
      counts[s.table->name] = ExecNamed(tx, sql, params, "count " + s.central_table).at(0)[0].as<std::int64_t>();
    }
    return counts;
  } catch (const AbortBatch& abort) {
    if (pg::IsConnectionLost(abort.status)) conn_.reset();
    return abort.status;
  } catch (...) {
    Status s = pg::PgErrorStatus("count the central rows of " + instance_name);
    if (pg::IsConnectionLost(s)) conn_.reset();
    return s;
  }
}

}  // namespace ibr::sync
