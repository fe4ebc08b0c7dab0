// TableDescriptions: the one description of every replicated catalog table —
// its columns with their SQLite and PostgreSQL types, its row key, natural key,
// parent key and which columns travel to the central database. The change-
// tracking triggers, the catalog's row readers, ib-sync's table list and its
// upsert/COPY SQL are derived from it; tests/catalog/schema_drift_test.cc
// compares it with both migration sets. Constant data; any thread.
#pragma once

#include <span>
#include <string_view>

namespace ibr::catalog {

enum class SqliteType { kInteger, kReal, kText };

// One column of a catalog table. `pg_type` is the central column's type as
// PostgreSQL's format_type() spells it ("bigint", "timestamp with time zone",
// "text[]" ...); empty when the column stays local (not replicated).
struct ColumnDescription {
  std::string_view name;
  SqliteType sqlite_type;
  std::string_view pg_type;
  bool nullable = false;
  // The central column's name when it differs (a local id becomes local_id).
  std::string_view central_name = {};

  bool replicated() const { return !pg_type.empty(); }
  std::string_view central() const { return central_name.empty() ? name : central_name; }
};

// A central column the catalog does not have, filled by an SQL expression over
// the staged row `s` (e.g. a local instance name resolved to a central id).
struct CentralOnlyColumn {
  std::string_view name;
  std::string_view pg_type;
  std::string_view expression;
};

struct TableDescription {
  std::string_view name;          // catalog (SQLite) table
  std::string_view central_name;  // PostgreSQL table
  int migration;                  // the SQLite migration that creates it (its triggers come with it)
  std::string_view row_key;       // the INTEGER PRIMARY KEY column (triggers find the row by it)
  // Space-separated catalog columns: UNIQUE locally, the tombstone's row_key,
  // and (in central names, after the instance) the central conflict key.
  std::string_view natural_key;
  // Parent key: the column referring to collection_sessions(id) ("" when
  // none); `parent_required` when it is NOT NULL.
  std::string_view parent_column;
  bool parent_required;
  std::string_view change_time;  // when a row last changed (ISO text): how old a pending change is
  std::span<const ColumnDescription> columns;  // every catalog column but change_no, in order
  std::span<const CentralOnlyColumn> central_only = {};

  const ColumnDescription* Column(std::string_view column) const;  // nullptr when absent
};

// The table every replicated table's parent key points to.
inline constexpr std::string_view kParentTable = "collection_sessions";
// The instance table: one row per catalog, sent with every batch.
inline constexpr std::string_view kInstanceTable = "server_instances";

// Every replicated table, server_instances first, then parents before children.
std::span<const TableDescription> TableDescriptions();
// By catalog name; nullptr when unknown.
const TableDescription* FindTableDescription(std::string_view name);

// "INTEGER" | "REAL" | "TEXT".
const char* SqliteTypeName(SqliteType t);

}  // namespace ibr::catalog
