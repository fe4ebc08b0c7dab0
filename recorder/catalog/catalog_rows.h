// Row types of the catalog tables (schema/sqlite/*.sql), as the recorder
// reads and writes them. Times are TimeUs (stored as ISO text). Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
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
};

enum class SessionStatus { kActive, kCompleted, kTerminated, kFailed };
enum class SessionKind { kRun, kIngest, kImport, kReconstructed };
const char* SessionStatusName(SessionStatus s);
const char* SessionKindName(SessionKind k);

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
};

struct SessionContractRow {
  std::int64_t collection_session_id = 0;
  std::uint32_t contract_id = 0;
  std::string symbol;
  std::vector<TickType> tick_types;
  std::int64_t messages_collected = 0;
  std::int64_t storage_bytes = 0;
  std::optional<TimeUs> first_message_time, last_message_time;
};

enum class FileStatus { kOpen, kSealed };
enum class PartReason { kFirst, kSizeSplit, kLate };

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
};

struct OutageRow {
  std::int64_t id = 0;
  std::int64_t collection_session_id = 0;
  std::uint32_t contract_id = 0;
  std::optional<TickType> tick_type;
  TimeUs outage_start = 0;
  std::optional<TimeUs> outage_end;
  std::string cause;
};

struct IngestedSourceRow {
  std::int64_t id = 0;
  std::string content_hash;
  std::string source_name;
  std::string source_kind = "ingest";
  std::int64_t bytes = 0, lines = 0, accepted = 0, rejected = 0;
  std::optional<std::int64_t> collection_session_id;
  TimeUs ingested_at = 0;
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
};

}  // namespace ibr::catalog
