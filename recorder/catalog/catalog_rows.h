// Row types of the catalog tables (schema/sqlite/*.sql), as the recorder
// reads and writes them, and the text forms of their enums and lists as
// stored. Times are TimeUs (stored as ISO text). Plain values, pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/tick.h"

namespace ibr::catalog {

struct InstanceRow {
  std::int64_t id = 0;
  std::string instance_name;
  std::string server_version;
  std::string host;
  int port = 0;
  std::string storage_path;
  std::string environment;
  int tws_client_id = 0;

  bool operator==(const InstanceRow&) const = default;
};

enum class SessionStatus { kActive, kCompleted, kTerminated, kFailed };
enum class SessionKind { kRun, kIngest, kImport, kReconstructed };
const char* SessionStatusName(SessionStatus s);
const char* SessionKindName(SessionKind k);
std::optional<SessionStatus> ParseSessionStatus(std::string_view s);
std::optional<SessionKind> ParseSessionKind(std::string_view s);

struct SessionRow {
  std::int64_t id = 0;
  std::int64_t server_instance_id = 0;
  TimeUs session_start = 0;
  std::optional<TimeUs> session_end;
  SessionStatus status = SessionStatus::kActive;
  SessionKind kind = SessionKind::kRun;
  std::string config_snapshot = "{}";  // JSON
  std::int64_t total_messages_collected = 0;
  std::int64_t total_storage_bytes = 0;
  std::optional<std::string> termination_reason;

  bool operator==(const SessionRow&) const = default;
};

struct SessionContractRow {
  std::int64_t collection_session_id = 0;
  std::uint32_t contract_id = 0;
  std::string symbol;
  std::vector<TickType> tick_types;
  std::int64_t messages_collected = 0;
  std::int64_t storage_bytes = 0;
  std::optional<TimeUs> first_message_time, last_message_time;

  bool operator==(const SessionContractRow&) const = default;
};

enum class FileStatus { kOpen, kSealed };
enum class PartReason { kFirst, kSizeSplit, kLate };
const char* FileStatusName(FileStatus s);    // "open" | "sealed"
const char* PartReasonName(PartReason r);    // "first" | "size_split" | "late"
std::optional<FileStatus> ParseFileStatus(std::string_view s);
std::optional<PartReason> ParsePartReason(std::string_view s);

// tick_types columns: a JSON array of v2 names, e.g. ["bid_ask","last"].
std::string TickTypesToJson(const std::vector<TickType>& types);
std::optional<std::vector<TickType>> TickTypesFromJson(std::string_view json);
// migration_events.contracts_migrated: a JSON array of contract ids.
std::string ContractIdsToJson(const std::vector<std::uint32_t>& ids);
std::optional<std::vector<std::uint32_t>> ContractIdsFromJson(std::string_view json);

// What retention did to a tick file (tick_files.retention_state; schema/sqlite/0003).
enum class RetentionState { kDeleted, kArchived };

struct TickFileRow {
  std::int64_t id = 0;
  std::uint32_t contract_id = 0;
  TickType tick_type = TickType::kBidAsk;
  TimeUs hour_bucket = 0;
  int part = 1;
  std::string file_path;  // relative to the storage root
  FileStatus status = FileStatus::kOpen;
  PartReason part_reason = PartReason::kFirst;
  TimeUs start_time = 0, end_time = 0;
  std::int64_t file_size_bytes = 0;
  std::int64_t message_count = 0;
  std::string compression = "none";
  std::optional<std::string> checksum;
  std::optional<std::int64_t> first_sequence, last_sequence;
  std::optional<double> min_price, max_price, total_volume;
  std::optional<double> price_sum;
  std::int64_t price_count = 0;
  std::optional<double> notional;
  std::string retention_state;          // "" present, "deleted" or "archived" (retention)
  std::optional<TimeUs> retired_at;     // when retention deleted or archived it

  bool operator==(const TickFileRow&) const = default;
};

// daily_tick_stats: derived from tick_files by Catalog::RecomputeDailyStats.
struct DailyTickStatsRow {
  std::uint32_t contract_id = 0;
  TickType tick_type = TickType::kBidAsk;
  std::string date;  // 'YYYY-MM-DD', UTC
  std::int64_t total_files = 0, total_messages = 0, total_size_bytes = 0;
  std::optional<TimeUs> first_tick, last_tick;
  std::optional<double> min_price, max_price, avg_price, total_volume, vwap;

  bool operator==(const DailyTickStatsRow&) const = default;
};

struct ContractRow {
  std::uint32_t contract_id = 0;
  std::string symbol;
  std::optional<std::string> exchange, currency, contract_type;
  std::optional<TimeUs> first_seen, last_seen;
  bool active = true;
  bool tracked = false;
  std::vector<TickType> tick_types;
  int buffer_hours = 0;

  bool operator==(const ContractRow&) const = default;
};

struct StreamEventRow {
  std::int64_t id = 0;
  std::optional<std::int64_t> collection_session_id;
  std::string stream_id;
  std::optional<std::uint32_t> contract_id;
  std::optional<TickType> tick_type;
  std::string event_type;  // info | error | complete | connect | disconnect
  TimeUs event_time = 0;
  std::optional<std::string> code;
  std::optional<std::string> raw_message;

  bool operator==(const StreamEventRow&) const = default;
};

struct OutageRow {
  std::int64_t id = 0;
  std::int64_t collection_session_id = 0;
  std::uint32_t contract_id = 0;
  std::optional<TickType> tick_type;
  TimeUs outage_start = 0;
  std::optional<TimeUs> outage_end;
  std::string cause;

  bool operator==(const OutageRow&) const = default;
};

struct IngestedSourceRow {
  std::int64_t id = 0;
  std::string content_hash;
  std::string source_name;
  std::string source_kind = "ingest";
  std::int64_t bytes = 0, lines = 0, accepted = 0, rejected = 0;
  std::optional<std::int64_t> collection_session_id;
  TimeUs ingested_at = 0;

  bool operator==(const IngestedSourceRow&) const = default;
};

struct MigrationEventRow {
  std::int64_t id = 0;
  std::string event_type;    // preparation | handoff | validation | rollback
  std::string event_status;  // started | completed | failed
  std::optional<std::string> source_instance, target_instance;
  TimeUs event_start = 0;
  std::optional<TimeUs> event_end;
  std::string migration_type = "blue_green";
  std::vector<std::uint32_t> contracts_migrated;
  std::optional<std::string> validation_results, notes, metadata;  // JSON / text

  bool operator==(const MigrationEventRow&) const = default;
};

}  // namespace ibr::catalog
