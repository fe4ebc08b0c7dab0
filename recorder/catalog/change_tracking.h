// ChangeTracking: the change-number triggers of the replicated catalog tables
// (see CATALOG.md "Change tracking"), generated from one table instead of being
// written out by hand per table in schema/sqlite: every replicated table gets
// the same insert/update/delete triggers and change_no index, and only the
// table name, its row key column and its natural key (the tombstone's row_key)
// differ — a hand-copied set with one wrong name would silently starve ib-sync.
// Catalog::Migrate runs ChangeTrackingSql(n) right after migration n's file, in
// the same transaction. Pure functions over constant data; any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace ibr::catalog {

struct ReplicatedTable {
  std::string_view table;
  // The rowid column the insert/update triggers find the row by (id, or contract_id).
  std::string_view key_column;
  // Comma-separated columns of the natural key; the delete trigger stores
  // json_object('<col>', OLD.<col>, ...) as the tombstone's row_key.
  std::string_view natural_key;
  // The migration whose SQL file creates the table (its triggers come with it).
  int migration;
  // The column saying when a row last changed (ISO text): how old a pending change is.
  std::string_view change_time;
};

// The tombstones table (deleted rows' natural keys, with their own change_no).
inline constexpr std::string_view kTombstonesTable = "tombstones";
inline constexpr std::string_view kTombstonesChangeTime = "deleted_at";

// Every table with a change_no column, in creation order.
std::span<const ReplicatedTable> ReplicatedTables();

// The CREATE TRIGGER / CREATE INDEX statements for the tables created by
// migration `migration` (empty when it creates none): per table
// <table>_change_ins, <table>_change_upd, <table>_change_del and
// idx_<table>_change_no.
std::string ChangeTrackingSql(int migration);

}  // namespace ibr::catalog
