#include "replicated_tables.h"

namespace ibr::sync {

int TableSpec::ColumnIndex(std::string_view column) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return static_cast<int>(i);
  }
  return -1;
}

bool TableSpec::KeyedByLocalIds() const {
  for (const auto& k : natural_key) {
    if (k == "id" || (!session_column.empty() && k == session_column)) return true;
  }
  return false;
}

namespace {

using catalog::ColumnDescription;
using catalog::SqliteType;
using catalog::TableDescription;

// How a column's value is carried, from its types in the two databases.
ColumnType KindOf(const ColumnDescription& c) {
  const std::string_view pg = c.pg_type;
  if (pg == "boolean") return ColumnType::kBool;
  if (pg == "double precision") return ColumnType::kReal;
  if (pg == "timestamp with time zone") return ColumnType::kTime;
  if (pg == "date") return ColumnType::kDate;
  if (pg == "jsonb") return ColumnType::kJson;
  if (pg == "text[]") return ColumnType::kTextArray;
  if (pg == "bigint[]") return ColumnType::kBigintArray;
  if (c.sqlite_type == SqliteType::kInteger) return ColumnType::kInt;
  return ColumnType::kText;
}

std::vector<std::string> SpaceSeparated(std::string_view text) {
  std::vector<std::string> words;
  while (!text.empty()) {
    const auto space = text.find(' ');
    if (space != 0) words.emplace_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return words;
}

}  // namespace

TableSpec SpecFromDescription(const TableDescription& d) {
  TableSpec spec;
  spec.name = d.name;
  for (const ColumnDescription& c : d.columns) {
    if (c.replicated()) spec.columns.push_back({std::string(c.name), KindOf(c), c.nullable});
  }
  spec.natural_key = SpaceSeparated(d.natural_key);
  spec.session_column = d.parent_column;
  spec.session_required = d.parent_required;
  spec.change_time_column = d.change_time;
  spec.description = &d;
  return spec;
}

const TableSpec& InstanceTable() {
  static const TableSpec kTable = SpecFromDescription(*catalog::FindTableDescription(catalog::kInstanceTable));
  return kTable;
}

const std::vector<TableSpec>& ReplicatedTables() {
  static const std::vector<TableSpec> kAll = [] {
    std::vector<TableSpec> v;
    for (const TableDescription& d : catalog::TableDescriptions()) {
      if (d.name != catalog::kInstanceTable) v.push_back(SpecFromDescription(d));
    }
    return v;
  }();
  return kAll;
}

const TableSpec& TombstoneTable() {
  static const TableSpec kTable = [] {
    TableSpec t;
    t.name = "tombstones";
    t.columns = {{"table_name", ColumnType::kText}, {"row_key", ColumnType::kText}, {"deleted_at", ColumnType::kTime}};
    t.change_time_column = "deleted_at";
    return t;
  }();
  return kTable;
}

const TableSpec* FindTable(std::string_view name) {
  if (name == InstanceTable().name) return &InstanceTable();
  for (const auto& t : ReplicatedTables()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace ibr::sync
