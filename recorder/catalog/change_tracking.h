// ChangeTracking: the change-number triggers of the replicated catalog tables
// (see CATALOG.md "Change tracking"), generated from their descriptions
// (table_descriptions.h) instead of being written out by hand per table in
// schema/sqlite: every replicated table gets the same insert/update/delete
// triggers and change_no index; only the table name, its row key column and
// its natural key (the tombstone's row_key) differ.
// Catalog::Migrate runs ChangeTrackingSql(n) right after migration n's file, in
// the same transaction. Pure functions over constant data; any thread.
#pragma once

#include <string>
#include <string_view>

namespace ibr::catalog {

// The tombstones table (deleted rows' natural keys, with their own change_no).
inline constexpr std::string_view kTombstonesTable = "tombstones";
inline constexpr std::string_view kTombstonesChangeTime = "deleted_at";

// The CREATE TRIGGER / CREATE INDEX statements for the tables created by
// migration `migration` (empty when it creates none): per table
// <table>_change_ins, <table>_change_upd, <table>_change_del and
// idx_<table>_change_no.
std::string ChangeTrackingSql(int migration);

struct TableDescription;
// The same statements for one described table.
std::string ChangeTrackingSqlFor(const TableDescription& table);

}  // namespace ibr::catalog
