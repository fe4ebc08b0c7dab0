// ChangeTracking: trigger SQL generated from the table descriptions.
#include "catalog/change_tracking.h"

#include "catalog/table_descriptions.h"

namespace ibr::catalog {
namespace {

// "a b" -> "json_object('a', OLD.a, 'b', OLD.b)"
std::string NaturalKeyJson(std::string_view columns) {
  std::string out = "json_object(";
  bool first = true;
  while (!columns.empty()) {
    const auto space = columns.find(' ');
    std::string_view col = columns.substr(0, space);
    columns = space == std::string_view::npos ? std::string_view() : columns.substr(space + 1);
    if (col.empty()) continue;
    if (!first) out += ", ";
    first = false;
    out.append("'").append(col).append("', OLD.").append(col);
  }
  return out + ")";
}

}  // namespace

std::string ChangeTrackingSqlFor(const TableDescription& t) {
  const std::string table(t.name);
  const std::string key(t.row_key);
  const std::string bump = "  UPDATE change_counter SET value = value + 1 WHERE id = 1;\n";
  const std::string counter = "(SELECT value FROM change_counter WHERE id = 1)";
  const std::string stamp =
      "  UPDATE " + table + " SET change_no = " + counter + " WHERE " + key + " = NEW." + key + ";\n";
  std::string sql;
  sql += "CREATE TRIGGER " + table + "_change_ins AFTER INSERT ON " + table + " BEGIN\n" + bump + stamp + "END;\n";
  // The trigger's own update of change_no leaves NEW.change_no != OLD.change_no, so it does not recurse.
  sql += "CREATE TRIGGER " + table + "_change_upd AFTER UPDATE ON " + table +
         " WHEN NEW.change_no IS OLD.change_no BEGIN\n" + bump + stamp + "END;\n";
  sql += "CREATE TRIGGER " + table + "_change_del AFTER DELETE ON " + table + " BEGIN\n" + bump +
         "  INSERT INTO tombstones (table_name, row_key, deleted_at, change_no)\n    VALUES ('" + table + "', " +
         NaturalKeyJson(t.natural_key) + ", strftime('%Y-%m-%dT%H:%M:%f000Z','now'), " + counter + ");\nEND;\n";
  sql += "CREATE INDEX idx_" + table + "_change_no ON " + table + " (change_no);\n";
  return sql;
}

std::string ChangeTrackingSql(int migration) {
  std::string sql;
  for (const TableDescription& t : TableDescriptions()) {
    if (t.migration == migration) sql += ChangeTrackingSqlFor(t);
  }
  return sql;
}

}  // namespace ibr::catalog
