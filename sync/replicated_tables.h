// The catalog tables ib-sync replicates, as the catalog reader and the central
// store work with them: the replicated columns of each table's one description
// (catalog/table_descriptions.h) with the value kind each is carried as, its
// natural key and how it refers to sessions. Derived once; immutable; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/table_descriptions.h"

namespace ibr::sync {

// How a catalog column is carried to PostgreSQL (see value_text.h).
enum class ColumnType {
  kInt,          // INTEGER -> bigint/integer
  kBool,         // INTEGER 0/1 -> boolean
  kReal,         // REAL -> double precision (shortest exact text)
  kText,         // TEXT -> text
  kTime,         // ISO-8601 TEXT -> timestamptz (canonical microseconds, 'Z')
  kDate,         // 'YYYY-MM-DD' -> date
  kJson,         // JSON TEXT -> jsonb (invalid JSON is carried as a JSON string)
  kTextArray,    // JSON array of strings -> text[]
  kBigintArray,  // JSON array of integers -> bigint[]
};

struct ColumnSpec {
  std::string name;  // catalog column name
  ColumnType type;
  bool nullable = false;
};

struct TableSpec {
  std::string name;                      // catalog table name
  std::vector<ColumnSpec> columns;       // replicated columns (change_no not included)
  std::vector<std::string> natural_key;  // catalog columns; = the tombstone's row_key fields
  std::string session_column;            // column holding a local collection_sessions id, or ""
  bool session_required = false;         // the reference is NOT NULL
  std::string change_time_column;        // when the row last changed (for "seconds behind")
  const catalog::TableDescription* description = nullptr;  // nullptr for tombstones

  int ColumnIndex(std::string_view column) const;  // -1 when absent
  // The natural key holds a local id (the row's own `id` or its session's),
  // which a recreated catalog reuses: centrally such rows are also keyed by the
  // catalog generation (schema/postgres/0002, sync/SYNC.md "Rebuilt catalogs").
  bool KeyedByLocalIds() const;
};

// What ib-sync carries of one table description (its replicated columns).
TableSpec SpecFromDescription(const catalog::TableDescription& description);

// server_instances: one row per catalog, sent with every batch.
const TableSpec& InstanceTable();
// Every other replicated table, parents first (collection_sessions first).
const std::vector<TableSpec>& ReplicatedTables();
// The tombstones table as a change source (columns: table_name, row_key, deleted_at).
const TableSpec& TombstoneTable();
// By catalog name, among InstanceTable() and ReplicatedTables(); nullptr when unknown.
const TableSpec* FindTable(std::string_view name);

}  // namespace ibr::sync
