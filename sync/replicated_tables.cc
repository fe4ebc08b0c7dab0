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

using T = ColumnType;
constexpr bool kNull = true;

TableSpec MakeInstanceTable() {
  return {"server_instances",
          {{"id", T::kInt},
           {"instance_name", T::kText},
           {"server_version", T::kText},
           {"host", T::kText},
           {"port", T::kInt},
           {"storage_path", T::kText},
           {"environment", T::kText},
           {"tws_client_id", T::kInt},
           {"created_at", T::kTime},
           {"updated_at", T::kTime}},
          {"instance_name"},
          "",
          false,
          "updated_at"};
}

std::vector<TableSpec> MakeTables() {
  std::vector<TableSpec> t;
  t.push_back({"collection_sessions",
               {{"id", T::kInt},
                {"session_start", T::kTime},
                {"session_end", T::kTime, kNull},
                {"status", T::kText},
                {"session_kind", T::kText},
                {"config_snapshot", T::kJson, kNull},
                {"total_messages_collected", T::kInt},
                {"total_storage_bytes", T::kInt},
                {"termination_reason", T::kText, kNull},
                {"created_at", T::kTime},
                {"updated_at", T::kTime}},
               {"id"},
               "",
               false,
               "updated_at"});
  t.push_back({"session_contracts",
               {{"collection_session_id", T::kInt},
                {"contract_id", T::kInt},
                {"symbol", T::kText},
                {"tick_types", T::kTextArray},
                {"messages_collected", T::kInt},
                {"storage_bytes", T::kInt},
                {"first_message_time", T::kTime, kNull},
                {"last_message_time", T::kTime, kNull},
                {"created_at", T::kTime},
                {"updated_at", T::kTime}},
               {"collection_session_id", "contract_id"},
               "collection_session_id",
               true,
               "updated_at"});
  t.push_back({"contracts",
               {{"contract_id", T::kInt},
                {"symbol", T::kText},
                {"exchange", T::kText, kNull},
                {"currency", T::kText, kNull},
                {"contract_type", T::kText, kNull},
                {"first_seen", T::kTime, kNull},
                {"last_seen", T::kTime, kNull},
                {"active", T::kBool},
                {"tracked", T::kBool},
                {"tick_types", T::kTextArray},
                {"buffer_hours", T::kInt},
                {"created_at", T::kTime},
                {"updated_at", T::kTime}},
               {"contract_id"},
               "",
               false,
               "updated_at"});
  t.push_back({"tick_files",
               {{"contract_id", T::kInt},
                {"tick_type", T::kText},
                {"hour_bucket", T::kTime},
                {"part", T::kInt},
                {"file_path", T::kText},
                {"status", T::kText},
                {"part_reason", T::kText},
                {"start_time", T::kTime},
                {"end_time", T::kTime},
                {"file_size_bytes", T::kInt},
                {"message_count", T::kInt},
                {"compression", T::kText},
                {"checksum", T::kText, kNull},
                {"first_sequence", T::kInt, kNull},
                {"last_sequence", T::kInt, kNull},
                {"min_price", T::kReal, kNull},
                {"max_price", T::kReal, kNull},
                {"total_volume", T::kReal, kNull},
                {"price_sum", T::kReal, kNull},
                {"price_count", T::kInt},
                {"notional", T::kReal, kNull},
                {"created_at", T::kTime},
                {"updated_at", T::kTime}},
               {"contract_id", "tick_type", "hour_bucket", "part"},
               "",
               false,
               "updated_at"});
  t.push_back({"daily_tick_stats",
               {{"contract_id", T::kInt},
                {"tick_type", T::kText},
                {"date", T::kDate},
                {"total_files", T::kInt},
                {"total_messages", T::kInt},
                {"total_size_bytes", T::kInt},
                {"first_tick", T::kTime, kNull},
                {"last_tick", T::kTime, kNull},
                {"min_price", T::kReal, kNull},
                {"max_price", T::kReal, kNull},
                {"avg_price", T::kReal, kNull},
                {"total_volume", T::kReal, kNull},
                {"vwap", T::kReal, kNull},
                {"created_at", T::kTime},
                {"updated_at", T::kTime}},
               {"contract_id", "tick_type", "date"},
               "",
               false,
               "updated_at"});
  t.push_back({"stream_events",
               {{"id", T::kInt},
                {"collection_session_id", T::kInt, kNull},
                {"stream_id", T::kText},
                {"contract_id", T::kInt, kNull},
                {"tick_type", T::kText, kNull},
                {"event_type", T::kText},
                {"event_time", T::kTime},
                {"code", T::kText, kNull},
                {"raw_message", T::kText, kNull},
                {"created_at", T::kTime}},
               {"id"},
               "collection_session_id",
               false,
               "created_at"});
  t.push_back({"outages",
               {{"id", T::kInt},
                {"collection_session_id", T::kInt},
                {"contract_id", T::kInt},
                {"tick_type", T::kText, kNull},
                {"outage_start", T::kTime},
                {"outage_end", T::kTime, kNull},
                {"cause", T::kText},
                {"created_at", T::kTime},
                {"updated_at", T::kTime}},
               {"id"},
               "collection_session_id",
               true,
               "updated_at"});
  t.push_back({"reject_counts",
               {{"collection_session_id", T::kInt},
                {"reason", T::kText},
                {"count", T::kInt},
                {"updated_at", T::kTime}},
               {"collection_session_id", "reason"},
               "collection_session_id",
               true,
               "updated_at"});
  t.push_back({"ingested_sources",
               {{"id", T::kInt},
                {"content_hash", T::kText},
                {"source_name", T::kText},
                {"source_kind", T::kText},
                {"bytes", T::kInt},
                {"lines", T::kInt},
                {"accepted", T::kInt},
                {"rejected", T::kInt},
                {"collection_session_id", T::kInt, kNull},
                {"ingested_at", T::kTime}},
               {"id"},
               "collection_session_id",
               false,
               "ingested_at"});
  t.push_back({"migration_events",
               {{"id", T::kInt},
                {"event_type", T::kText},
                {"event_status", T::kText},
                {"source_instance", T::kText, kNull},
                {"target_instance", T::kText, kNull},
                {"event_start", T::kTime},
                {"event_end", T::kTime, kNull},
                {"migration_type", T::kText},
                {"contracts_migrated", T::kBigintArray},
                {"validation_results", T::kJson, kNull},
                {"notes", T::kText, kNull},
                {"metadata", T::kJson, kNull},
                {"created_at", T::kTime},
                {"updated_at", T::kTime}},
               {"id"},
               "",
               false,
               "updated_at"});
  return t;
}

}  // namespace

const TableSpec& InstanceTable() {
  static const TableSpec kTable = MakeInstanceTable();
  return kTable;
}

const std::vector<TableSpec>& ReplicatedTables() {
  static const std::vector<TableSpec> kTables = MakeTables();
  return kTables;
}

const TableSpec& TombstoneTable() {
  static const TableSpec kTable = {"tombstones",
                                   {{"table_name", T::kText}, {"row_key", T::kText}, {"deleted_at", T::kTime}},
                                   {},
                                   "",
                                   false,
                                   "deleted_at"};
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
