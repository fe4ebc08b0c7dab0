#include "replicated_tables.h"

#include <cstdlib>
#include <sstream>

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

// One table in one place: its columns as "name:type" words ("?" after the type:
// nullable), its natural key (words), the column referring to a local session
// ("!" after it: NOT NULL), and the column saying when a row last changed.
struct TableText {
  const char* name;
  const char* columns;
  const char* natural_key;
  const char* session;
  const char* change_time;
};

const TableText kInstance =
    {"server_instances",
     "id:int instance_name:text server_version:text host:text port:int storage_path:text environment:text "
     "tws_client_id:int created_at:time updated_at:time",
     "instance_name", "", "updated_at"};
// Parents first: collection_sessions before the tables that refer to it.
const TableText kTables[] = {
    {"collection_sessions",
     "id:int session_start:time session_end:time? status:text session_kind:text config_snapshot:json? "
     "total_messages_collected:int total_storage_bytes:int termination_reason:text? created_at:time "
     "updated_at:time",
     "id", "", "updated_at"},
    {"session_contracts",
     "collection_session_id:int contract_id:int symbol:text tick_types:text[] messages_collected:int "
     "storage_bytes:int first_message_time:time? last_message_time:time? created_at:time updated_at:time",
     "collection_session_id contract_id", "collection_session_id!", "updated_at"},
    {"contracts",
     "contract_id:int symbol:text exchange:text? currency:text? contract_type:text? first_seen:time? "
     "last_seen:time? active:bool tracked:bool tick_types:text[] buffer_hours:int created_at:time "
     "updated_at:time",
     "contract_id", "", "updated_at"},
    {"tick_files",
     "contract_id:int tick_type:text hour_bucket:time part:int file_path:text status:text "
     "part_reason:text start_time:time end_time:time file_size_bytes:int message_count:int "
     "compression:text checksum:text? first_sequence:int? last_sequence:int? min_price:real? "
     "max_price:real? total_volume:real? price_sum:real? price_count:int notional:real? created_at:time "
     "updated_at:time",
     "contract_id tick_type hour_bucket part", "", "updated_at"},
    {"daily_tick_stats",
     "contract_id:int tick_type:text date:date total_files:int total_messages:int total_size_bytes:int "
     "first_tick:time? last_tick:time? min_price:real? max_price:real? avg_price:real? total_volume:real? "
     "vwap:real? created_at:time updated_at:time",
     "contract_id tick_type date", "", "updated_at"},
    {"stream_events",
     "id:int collection_session_id:int? stream_id:text contract_id:int? tick_type:text? event_type:text "
     "event_time:time code:text? raw_message:text? created_at:time",
     "id", "collection_session_id", "created_at"},
    {"outages",
     "id:int collection_session_id:int contract_id:int tick_type:text? outage_start:time outage_end:time? "
     "cause:text created_at:time updated_at:time",
     "id", "collection_session_id!", "updated_at"},
    {"reject_counts",
     "collection_session_id:int reason:text count:int updated_at:time",
     "collection_session_id reason", "collection_session_id!", "updated_at"},
    {"ingested_sources",
     "id:int content_hash:text source_name:text source_kind:text bytes:int lines:int accepted:int "
     "rejected:int collection_session_id:int? ingested_at:time",
     "id", "collection_session_id", "ingested_at"},
    {"migration_events",
     "id:int event_type:text event_status:text source_instance:text? target_instance:text? "
     "event_start:time event_end:time? migration_type:text contracts_migrated:bigint[] "
     "validation_results:json? notes:text? metadata:json? created_at:time updated_at:time",
     "id", "", "updated_at"},
};
const TableText kTombstones =
    {"tombstones",
     "table_name:text row_key:text deleted_at:time",
     "", "", "deleted_at"};

std::vector<std::string> Words(const char* text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

ColumnType TypeNamed(const std::string& name) {
  static const std::pair<const char*, ColumnType> kTypes[] = {
      {"int", ColumnType::kInt},   {"bool", ColumnType::kBool},      {"real", ColumnType::kReal},
      {"text", ColumnType::kText}, {"time", ColumnType::kTime},      {"date", ColumnType::kDate},
      {"json", ColumnType::kJson}, {"text[]", ColumnType::kTextArray}, {"bigint[]", ColumnType::kBigintArray}};
  for (const auto& [n, t] : kTypes) {
    if (name == n) return t;
  }
  std::abort();  // a typo in the tables above (replicated_tables_test parses them all)
}

TableSpec Parse(const TableText& t) {
  TableSpec spec;
  spec.name = t.name;
  for (std::string w : Words(t.columns)) {
    const bool nullable = w.back() == '?';
    if (nullable) w.pop_back();
    const auto colon = w.find(':');
    spec.columns.push_back({w.substr(0, colon), TypeNamed(w.substr(colon + 1)), nullable});
  }
  spec.natural_key = Words(t.natural_key);
  spec.session_column = t.session;
  spec.session_required = !spec.session_column.empty() && spec.session_column.back() == '!';
  if (spec.session_required) spec.session_column.pop_back();
  spec.change_time_column = t.change_time;
  return spec;
}

}  // namespace

const TableSpec& InstanceTable() {
  static const TableSpec kTable = Parse(kInstance);
  return kTable;
}

const std::vector<TableSpec>& ReplicatedTables() {
  static const std::vector<TableSpec> kAll = [] {
    std::vector<TableSpec> v;
    for (const auto& t : kTables) v.push_back(Parse(t));
    return v;
  }();
  return kAll;
}

const TableSpec& TombstoneTable() {
  static const TableSpec kTable = Parse(kTombstones);
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
