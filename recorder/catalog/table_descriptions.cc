// TableDescriptions: one block per replicated table. Adding a column to a
// replicated table is one line here plus the column in each database's
// migration (schema/sqlite/, schema/postgres/); schema_drift_test checks both.
#include "catalog/table_descriptions.h"

namespace ibr::catalog {
namespace {

constexpr SqliteType kSqlInt = SqliteType::kInteger;
constexpr SqliteType kSqlReal = SqliteType::kReal;
constexpr SqliteType kSqlText = SqliteType::kText;
// PostgreSQL types as format_type() prints them; "" = not replicated.
constexpr std::string_view kLocalOnly = "";
constexpr std::string_view kPgBigint = "bigint";
constexpr std::string_view kPgInt = "integer";
constexpr std::string_view kPgBool = "boolean";
constexpr std::string_view kPgDouble = "double precision";
constexpr std::string_view kPgText = "text";
constexpr std::string_view kPgTime = "timestamp with time zone";
constexpr std::string_view kPgDate = "date";
constexpr std::string_view kPgJson = "jsonb";
constexpr std::string_view kPgTextArray = "text[]";
constexpr std::string_view kPgBigintArray = "bigint[]";
constexpr bool kNull = true;

// clang-format off
constexpr ColumnDescription kServerInstanceColumns[] = {
    // name             SQLite    PostgreSQL   NULL?  central name
    {"id",              kSqlInt,  kPgBigint},
    {"instance_name",   kSqlText, kPgText},
    {"server_version",  kSqlText, kPgText},
    {"host",            kSqlText, kPgText},
    {"port",            kSqlInt,  kPgInt},
    {"storage_path",    kSqlText, kPgText},
    {"environment",     kSqlText, kPgText},
    {"tws_client_id",   kSqlInt,  kPgInt},
    {"created_at",      kSqlText, kPgTime},
    {"updated_at",      kSqlText, kPgTime},
};

constexpr ColumnDescription kSessionColumns[] = {
    {"id",                       kSqlInt,  kPgBigint, false, "local_id"},
    {"server_instance_id",       kSqlInt,  kLocalOnly},
    {"session_start",            kSqlText, kPgTime},
    {"session_end",              kSqlText, kPgTime, kNull},
    {"status",                   kSqlText, kPgText},
    {"session_kind",             kSqlText, kPgText},
    {"config_snapshot",          kSqlText, kPgJson, kNull},
    {"total_messages_collected", kSqlInt,  kPgBigint},
    {"total_storage_bytes",      kSqlInt,  kPgBigint},
    {"termination_reason",       kSqlText, kPgText, kNull},
    {"created_at",               kSqlText, kPgTime},
    {"updated_at",               kSqlText, kPgTime},
};

constexpr ColumnDescription kSessionContractColumns[] = {
    {"id",                    kSqlInt,  kLocalOnly},
    {"collection_session_id", kSqlInt,  kPgBigint, false, "local_session_id"},
    {"contract_id",           kSqlInt,  kPgBigint},
    {"symbol",                kSqlText, kPgText},
    {"tick_types",            kSqlText, kPgTextArray},
    {"messages_collected",    kSqlInt,  kPgBigint},
    {"storage_bytes",         kSqlInt,  kPgBigint},
    {"first_message_time",    kSqlText, kPgTime, kNull},
    {"last_message_time",     kSqlText, kPgTime, kNull},
    {"created_at",            kSqlText, kPgTime},
    {"updated_at",            kSqlText, kPgTime},
};

constexpr ColumnDescription kContractColumns[] = {
    {"contract_id",   kSqlInt,  kPgBigint},
    {"symbol",        kSqlText, kPgText},
    {"exchange",      kSqlText, kPgText, kNull},
    {"currency",      kSqlText, kPgText, kNull},
    {"contract_type", kSqlText, kPgText, kNull},
    {"first_seen",    kSqlText, kPgTime, kNull},
    {"last_seen",     kSqlText, kPgTime, kNull},
    {"active",        kSqlInt,  kPgBool},
    {"tracked",       kSqlInt,  kPgBool},
    {"tick_types",    kSqlText, kPgTextArray},
    {"buffer_hours",  kSqlInt,  kPgInt},
    {"created_at",    kSqlText, kPgTime},
    {"updated_at",    kSqlText, kPgTime},
};

constexpr ColumnDescription kTickFileColumns[] = {
    {"id",              kSqlInt,  kLocalOnly},
    {"contract_id",     kSqlInt,  kPgBigint},
    {"tick_type",       kSqlText, kPgText},
    {"hour_bucket",     kSqlText, kPgTime},
    {"part",            kSqlInt,  kPgInt},
    {"file_path",       kSqlText, kPgText},
    {"status",          kSqlText, kPgText},
    {"part_reason",     kSqlText, kPgText},
    {"start_time",      kSqlText, kPgTime},
    {"end_time",        kSqlText, kPgTime},
    {"file_size_bytes", kSqlInt,  kPgBigint},
    {"message_count",   kSqlInt,  kPgBigint},
    {"compression",     kSqlText, kPgText},
    {"checksum",        kSqlText, kPgText, kNull},
    {"first_sequence",  kSqlInt,  kPgBigint, kNull},
    {"last_sequence",   kSqlInt,  kPgBigint, kNull},
    {"min_price",       kSqlReal, kPgDouble, kNull},
    {"max_price",       kSqlReal, kPgDouble, kNull},
    {"total_volume",    kSqlReal, kPgDouble, kNull},
    {"price_sum",       kSqlReal, kPgDouble, kNull},
    {"price_count",     kSqlInt,  kPgBigint},
    {"notional",        kSqlReal, kPgDouble, kNull},
    {"retention_state", kSqlText, kPgText, kNull},  // retention: deleted | archived (NULL: present)
    {"retired_at",      kSqlText, kPgTime, kNull},
    {"created_at",      kSqlText, kPgTime},
    {"updated_at",      kSqlText, kPgTime},
};

constexpr ColumnDescription kDailyStatColumns[] = {
    {"id",               kSqlInt,  kLocalOnly},
    {"contract_id",      kSqlInt,  kPgBigint},
    {"tick_type",        kSqlText, kPgText},
    {"date",             kSqlText, kPgDate},
    {"total_files",      kSqlInt,  kPgInt},
    {"total_messages",   kSqlInt,  kPgBigint},
    {"total_size_bytes", kSqlInt,  kPgBigint},
    {"first_tick",       kSqlText, kPgTime, kNull},
    {"last_tick",        kSqlText, kPgTime, kNull},
    {"min_price",        kSqlReal, kPgDouble, kNull},
    {"max_price",        kSqlReal, kPgDouble, kNull},
    {"avg_price",        kSqlReal, kPgDouble, kNull},
    {"total_volume",     kSqlReal, kPgDouble, kNull},
    {"vwap",             kSqlReal, kPgDouble, kNull},
    {"created_at",       kSqlText, kPgTime},
    {"updated_at",       kSqlText, kPgTime},
};

constexpr ColumnDescription kStreamEventColumns[] = {
    {"id",                    kSqlInt,  kPgBigint, false, "local_id"},
    {"collection_session_id", kSqlInt,  kPgBigint, kNull},
    {"stream_id",             kSqlText, kPgText},
    {"contract_id",           kSqlInt,  kPgBigint, kNull},
    {"tick_type",             kSqlText, kPgText, kNull},
    {"event_type",            kSqlText, kPgText},
    {"event_time",            kSqlText, kPgTime},
    {"code",                  kSqlText, kPgText, kNull},
    {"raw_message",           kSqlText, kPgText, kNull},
    {"created_at",            kSqlText, kPgTime},
};

constexpr ColumnDescription kOutageColumns[] = {
    {"id",                    kSqlInt,  kPgBigint, false, "local_id"},
    {"collection_session_id", kSqlInt,  kPgBigint},
    {"contract_id",           kSqlInt,  kPgBigint},
    {"tick_type",             kSqlText, kPgText, kNull},
    {"outage_start",          kSqlText, kPgTime},
    {"outage_end",            kSqlText, kPgTime, kNull},
    {"cause",                 kSqlText, kPgText},
    {"created_at",            kSqlText, kPgTime},
    {"updated_at",            kSqlText, kPgTime},
};

constexpr ColumnDescription kRejectCountColumns[] = {
    {"id",                    kSqlInt,  kLocalOnly},
    {"collection_session_id", kSqlInt,  kPgBigint, false, "local_session_id"},
    {"reason",                kSqlText, kPgText},
    {"count",                 kSqlInt,  kPgBigint},
    {"updated_at",            kSqlText, kPgTime},
};

constexpr ColumnDescription kIngestedSourceColumns[] = {
    {"id",                    kSqlInt,  kPgBigint, false, "local_id"},
    {"content_hash",          kSqlText, kPgText},
    {"source_name",           kSqlText, kPgText},
    {"source_kind",           kSqlText, kPgText},
    {"bytes",                 kSqlInt,  kPgBigint},
    {"lines",                 kSqlInt,  kPgBigint},
    {"accepted",              kSqlInt,  kPgBigint},
    {"rejected",              kSqlInt,  kPgBigint},
    {"collection_session_id", kSqlInt,  kPgBigint, kNull},
    {"ingested_at",           kSqlText, kPgTime},
};

constexpr ColumnDescription kMigrationEventColumns[] = {
    {"id",                 kSqlInt,  kPgBigint, false, "local_id"},
    {"event_type",         kSqlText, kPgText},
    {"event_status",       kSqlText, kPgText},
    {"source_instance",    kSqlText, kPgText, kNull},
    {"target_instance",    kSqlText, kPgText, kNull},
    {"event_start",        kSqlText, kPgTime},
    {"event_end",          kSqlText, kPgTime, kNull},
    {"migration_type",     kSqlText, kPgText},
    {"contracts_migrated", kSqlText, kPgBigintArray},
    {"validation_results", kSqlText, kPgJson, kNull},
    {"notes",              kSqlText, kPgText, kNull},
    {"metadata",           kSqlText, kPgJson, kNull},
    {"created_at",         kSqlText, kPgTime},
    {"updated_at",         kSqlText, kPgTime},
};
constexpr CentralOnlyColumn kMigrationEventCentral[] = {
    {"source_server_id", kPgBigint, "(SELECT x.id FROM server_instances x WHERE x.instance_name = s.source_instance)"},
    {"target_server_id", kPgBigint, "(SELECT x.id FROM server_instances x WHERE x.instance_name = s.target_instance)"},
};

constexpr TableDescription kDescriptions[] = {
    // name, central name, migration, row key, natural key, parent column, parent required, change time, columns
    {"server_instances", "server_instances", 1, "id", "instance_name", "", false, "updated_at",
     kServerInstanceColumns},
    {"collection_sessions", "collection_sessions", 1, "id", "id", "", false, "updated_at", kSessionColumns},
    {"session_contracts", "session_contracts", 1, "id", "collection_session_id contract_id",
     "collection_session_id", true, "updated_at", kSessionContractColumns},
    {"contracts", "instance_contracts", 1, "contract_id", "contract_id", "", false, "updated_at", kContractColumns},
    {"tick_files", "tick_files", 1, "id", "contract_id tick_type hour_bucket part", "", false, "updated_at",
     kTickFileColumns},
    {"daily_tick_stats", "daily_tick_stats", 1, "id", "contract_id tick_type date", "", false, "updated_at",
     kDailyStatColumns},
    {"stream_events", "stream_events", 1, "id", "id", "collection_session_id", false, "created_at",
     kStreamEventColumns},
    {"outages", "outages", 1, "id", "id", "collection_session_id", true, "updated_at", kOutageColumns},
    {"reject_counts", "reject_counts", 1, "id", "collection_session_id reason", "collection_session_id", true,
     "updated_at", kRejectCountColumns},
    {"ingested_sources", "ingested_sources", 1, "id", "id", "collection_session_id", false, "ingested_at",
     kIngestedSourceColumns},
    {"migration_events", "migration_events", 1, "id", "id", "", false, "updated_at", kMigrationEventColumns,
     kMigrationEventCentral},
};
// clang-format on

}  // namespace

const ColumnDescription* TableDescription::Column(std::string_view column) const {
  for (const ColumnDescription& c : columns) {
    if (c.name == column) return &c;
  }
  return nullptr;
}

std::span<const TableDescription> TableDescriptions() { return kDescriptions; }

const TableDescription* FindTableDescription(std::string_view name) {
  for (const TableDescription& t : kDescriptions) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const char* SqliteTypeName(SqliteType t) {
  switch (t) {
    case SqliteType::kInteger: return "INTEGER";
    case SqliteType::kReal: return "REAL";
    case SqliteType::kText: return "TEXT";
  }
  return "TEXT";
}

}  // namespace ibr::catalog
