#include "pg_table_sql.h"

#include <map>

namespace ibr::sync {

namespace {

// How a catalog table lands centrally (beyond the column names it shares),
// from its description.
struct Mapping {
  std::string central_table;
  std::map<std::string, std::string> renames;  // catalog column -> central column
  std::vector<std::string> conflict;           // central natural key (after server_instance_id)
  std::vector<std::pair<std::string, std::string>> computed;  // central column, expression over s.
};

Mapping MappingFor(const TableSpec& t) {
  const catalog::TableDescription& d = *t.description;
  Mapping m;
  m.central_table = d.central_name;
  for (const catalog::ColumnDescription& c : d.columns) {
    if (c.replicated() && c.central() != c.name) m.renames[std::string(c.name)] = c.central();
  }
  for (const std::string& k : t.natural_key) {
    auto it = m.renames.find(k);
    m.conflict.push_back(it == m.renames.end() ? k : it->second);
  }
  for (const catalog::CentralOnlyColumn& c : d.central_only) m.computed.emplace_back(c.name, c.expression);
  return m;
}

std::string Central(const Mapping& m, const std::string& catalog_column) {
  auto it = m.renames.find(catalog_column);
  return it == m.renames.end() ? catalog_column : it->second;
}

std::string Q(const std::string& name) { return "\"" + name + "\""; }

}  // namespace

PgTableSql BuildPgTableSql(const TableSpec& t) {
  Mapping m = MappingFor(t);
  PgTableSql sql;
  sql.table = &t;
  sql.central_table = m.central_table;
  sql.stage_table = "ibr_stage_" + t.name;

  sql.create_stage = "CREATE TEMP TABLE IF NOT EXISTS " + sql.stage_table + " (";
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    sql.create_stage += (i ? ", " : "") + Q(t.columns[i].name) + " " +
                        std::string(t.description->Column(t.columns[i].name)->pg_type);
  }
  sql.create_stage += ") ON COMMIT DELETE ROWS";

  // Columns and the expressions that fill them.
  const bool per_generation = t.KeyedByLocalIds();
  std::vector<std::string> cols{"server_instance_id", "sync_pass"};
  std::vector<std::string> exprs{"{instance}::bigint", "{pass}::bigint"};
  if (per_generation) {
    cols.push_back("catalog_generation");
    exprs.push_back("{generation}::text");
  }
  const bool joins_session = !t.session_column.empty();
  if (joins_session) {
    cols.push_back("collection_session_id");
    exprs.push_back("cs.id");
  }
  for (const auto& c : t.columns) {
    if (c.name == t.session_column && !m.renames.count(c.name)) continue;  // replaced by cs.id
    cols.push_back(Central(m, c.name));
    exprs.push_back("s." + Q(c.name));
  }
  for (const auto& [col, expr] : m.computed) {
    cols.push_back(col);
    exprs.push_back(expr);
  }
  std::string col_list, expr_list, updates;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    col_list += (i ? ", " : "") + Q(cols[i]);
    expr_list += (i ? ", " : "") + exprs[i];
  }
  std::vector<std::string> key{"server_instance_id"};
  if (per_generation) key.push_back("catalog_generation");
  key.insert(key.end(), m.conflict.begin(), m.conflict.end());
  for (const auto& c : cols) {
    bool in_key = false;
    for (const auto& k : key) in_key |= (k == c);
    if (in_key) continue;
    updates += (updates.empty() ? "" : ", ") + Q(c) + " = EXCLUDED." + Q(c);
  }
  std::string key_list;
  for (std::size_t i = 0; i < key.size(); ++i) key_list += (i ? ", " : "") + Q(key[i]);

  sql.upsert = "INSERT INTO " + m.central_table + " AS t (" + col_list + ") SELECT " + expr_list + " FROM " +
               sql.stage_table + " s";
  if (joins_session) {
    sql.upsert += std::string(t.session_required ? " JOIN" : " LEFT JOIN") +
                  " collection_sessions cs ON cs.server_instance_id = {instance}::bigint AND cs.catalog_generation = "
                  "{generation}::text AND cs.local_id = s." + Q(t.session_column);
  }
  sql.upsert += " ON CONFLICT (" + key_list + ") DO UPDATE SET " + updates;

  // Tombstones: the catalog's natural key, mapped to central columns.
  std::string unnest, alias, match;
  for (std::size_t i = 0; i < t.natural_key.size(); ++i) {
    const ColumnSpec& c = t.columns[t.ColumnIndex(t.natural_key[i])];
    unnest += (i ? ", " : "") + std::string("{k") + std::to_string(i) + "}::" + PgType(c.type) + "[]";
    alias += (i ? ", " : "") + std::string("k") + std::to_string(i);
    match += " AND t." + Q(Central(m, c.name)) + " = k.k" + std::to_string(i);
  }
  sql.delete_by_key = "DELETE FROM " + m.central_table + " t USING unnest(" + unnest + ") AS k(" + alias +
                      ") WHERE t.server_instance_id = {instance}::bigint" +
                      (per_generation ? " AND t.catalog_generation = {generation}::text" : "") + match;
  if (t.name == "contracts") sql.delete_by_key += " RETURNING t.contract_id";
  return sql;
}

const char* PgType(ColumnType type) {
  switch (type) {
    case ColumnType::kInt: return "bigint";
    case ColumnType::kBool: return "boolean";
    case ColumnType::kReal: return "double precision";
    case ColumnType::kText: return "text";
    case ColumnType::kTime: return "timestamptz";
    case ColumnType::kDate: return "date";
    case ColumnType::kJson: return "jsonb";
    case ColumnType::kTextArray: return "text[]";
    case ColumnType::kBigintArray: return "bigint[]";
  }
  return "text";
}

const std::vector<PgTableSql>& AllPgTableSql() {
  static const std::vector<PgTableSql> kAll = [] {
    std::vector<PgTableSql> v;
    for (const auto& t : ReplicatedTables()) v.push_back(BuildPgTableSql(t));
    return v;
  }();
  return kAll;
}

const PgTableSql& PgSqlFor(const TableSpec& table) {
  const auto& all = AllPgTableSql();
  for (const auto& s : all) {
    if (s.table == &table) return s;
  }
  return all.front();  // unreachable for tables from ReplicatedTables()
}

}  // namespace ibr::sync
