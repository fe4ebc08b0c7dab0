// ChangeTracking: trigger SQL generated from the replicated-table list.
#include "catalog/change_tracking.h"

#include <array>

namespace ibr::catalog {
namespace {

constexpr std::array kTables = {
    ReplicatedTable{"server_instances", "id", "instance_name", 1, "updated_at"},
    ReplicatedTable{"collection_sessions", "id", "id", 1, "updated_at"},
    ReplicatedTable{"session_contracts", "id", "collection_session_id, contract_id", 1, "updated_at"},
    ReplicatedTable{"migration_events", "id", "id", 1, "updated_at"},
    ReplicatedTable{"tick_files", "id", "contract_id, tick_type, hour_bucket, part", 1, "updated_at"},
    ReplicatedTable{"daily_tick_stats", "id", "contract_id, tick_type, date", 1, "updated_at"},
    ReplicatedTable{"contracts", "contract_id", "contract_id", 1, "updated_at"},
    ReplicatedTable{"stream_events", "id", "id", 1, "created_at"},
    ReplicatedTable{"outages", "id", "id", 1, "updated_at"},
    ReplicatedTable{"ingested_sources", "id", "id", 1, "ingested_at"},
    ReplicatedTable{"reject_counts", "id", "collection_session_id, reason", 1, "updated_at"},
};

// "a, b" -> "json_object('a', OLD.a, 'b', OLD.b)"
std::string NaturalKeyJson(std::string_view columns) {
  std::string out = "json_object(";
  bool first = true;
  while (!columns.empty()) {
    auto comma = columns.find(',');
    std::string_view col = columns.substr(0, comma);
    columns = comma == std::string_view::npos ? std::string_view() : columns.substr(comma + 1);
    while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
    if (!first) out += ", ";
    first = false;
    out.append("'").append(col).append("', OLD.").append(col);
  }
  return out + ")";
}

std::string TriggersFor(const ReplicatedTable& t) {
  const std::string table(t.table);
  const std::string bump = "  UPDATE change_counter SET value = value + 1 WHERE id = 1;\n";
  const std::string counter = "(SELECT value FROM change_counter WHERE id = 1)";
  const std::string stamp = "  UPDATE " + table + " SET change_no = " + counter + " WHERE " + std::string(t.key_column) +
                            " = NEW." + std::string(t.key_column) + ";\n";
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

}  // namespace

std::span<const ReplicatedTable> ReplicatedTables() { return kTables; }

std::string ChangeTrackingSql(int migration) {
  std::string sql;
  for (const ReplicatedTable& t : kTables) {
    if (t.migration == migration) sql += TriggersFor(t);
  }
  return sql;
}

}  // namespace ibr::catalog
