// The SQL that puts each replicated catalog table into the central schema
// (schema/postgres/0001_initial.sql, 0002_catalog_generations.sql): its staging table, the one
// INSERT ... SELECT ... ON CONFLICT per batch that maps local ids to central
// ids, and the DELETE a tombstone becomes.
//
// Built once from replicated_tables.h; immutable afterwards, any thread.
#pragma once

#include <string>
#include <vector>

#include "replicated_tables.h"

namespace ibr::sync {

struct PgTableSql {
  const TableSpec* table = nullptr;
  std::string central_table;   // e.g. instance_contracts for the catalog's contracts
  std::string stage_table;     // TEMP, ON COMMIT DELETE ROWS, columns = TableSpec::columns
  std::string create_stage;
  // INSERT ... SELECT from the stage; named parameters (pg/named_params.h)
  // {instance}, {pass} and {generation} (used when TableSpec::KeyedByLocalIds()).
  std::string upsert;
  // DELETE ... USING unnest(<one array per natural-key column>); named parameters
  // {instance}, {generation} and {k0}, {k1}, ... (array literals). RETURNING contract_id
  // for contracts (the merged rows are then refreshed).
  std::string delete_by_key;
};

// The SQL of one table (AllPgTableSql() holds it for every replicated table).
PgTableSql BuildPgTableSql(const TableSpec& table);

// One per ReplicatedTables() entry, same order.
const std::vector<PgTableSql>& AllPgTableSql();
const PgTableSql& PgSqlFor(const TableSpec& table);

// The PostgreSQL type of a catalog column's central counterpart.
const char* PgType(ColumnType type);


}  // namespace ibr::sync
