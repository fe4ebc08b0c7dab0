// RecorderStatus: a consistent snapshot of what a running recorder is doing,
// for the status page, /health, /metrics and the status JSON endpoints.
// Produced by RecorderService::Status() (any thread); plain value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/tick.h"

namespace ibr::daemon {

struct StreamStatus {  // one tracked contract x tick type
  std::uint32_t contract_id = 0;
  std::string symbol;
  TickType tick_type = TickType::kBidAsk;
  std::uint64_t ticks = 0;                 // stored this session
  std::optional<TimeUs> last_tick_time;    // envelope time of the newest stored tick
  std::optional<TimeUs> last_tick_wall;    // wall-clock time it was stored
  std::vector<std::uint32_t> per_minute;   // ticks stored in each of the last 30 minutes, oldest first
};

struct ContractStatus {
  std::uint32_t contract_id = 0;
  std::string symbol;
  bool tracked = false;
  std::vector<TickType> tick_types;        // expected (tracked) tick types
  int buffer_hours = 0;
  bool connected = false;                  // upstream stream up (sse source); sim/http: true while running
  std::uint64_t reconnects = 0;
  std::uint64_t outages = 0;
  // sse: failed connection attempts since the stream was last up (0 while connected), and
  // this session's total; why the upstream stream last ended and when (empty: never).
  std::uint64_t reconnect_attempts = 0;
  std::uint64_t reconnect_attempts_total = 0;
  std::string last_disconnect;
  std::optional<TimeUs> last_disconnect_at;
};

struct RecorderStatus {
  std::string instance_name;
  std::string environment;
  std::string version;
  std::string host;
  int port = 0;
  std::string storage_path;
  std::string source;                      // "sse" | "sim" | "http"
  std::string upstream_url;                // sse only
  std::string mode = "recording";          // RecorderMode's name: recording | isolated | passthrough | read-only
  bool read_only = false;                  // writes nothing (read-only or passthrough)
  std::int64_t session_id = 0;
  TimeUs session_start = 0;
  TimeUs now = 0;
  std::uint64_t uptime_seconds = 0;

  std::vector<ContractStatus> contracts;
  std::vector<StreamStatus> streams;

  std::uint64_t ticks_stored = 0;
  std::uint64_t ticks_dropped = 0;                  // disk_full, queue_full
  std::map<std::string, std::uint64_t> dropped_by_reason;
  std::uint64_t rejects = 0;
  std::map<std::string, std::uint64_t> rejects_by_reason;
  std::uint64_t rejects_not_kept = 0;  // counted, not quarantined (RejectLogLimits); this process
  std::uint64_t heartbeats = 0;
  std::uint64_t lifecycle_events = 0;
  std::uint64_t bytes_written = 0;
  std::uint64_t open_files = 0;
  std::uint64_t files_today = 0, bytes_today = 0;   // from the catalog (UTC day)
  std::uint64_t files_total = 0, bytes_total = 0;
  std::uint64_t sealed_files = 0;                   // sealed tick files in the catalog (every session's)
  std::uint64_t seals = 0;                          // files this session sealed
  std::optional<double> last_seal_seconds;          // latency of this session's last seal; none yet: nullopt
  // Retention (writer only): the hourly pass of IB_STREAM_RETENTION_DAYS; files/bytes deleted
  // (or archived, IB_STREAM_ARCHIVE_PATH) this session, files it could not remove.
  bool retention_enabled = false, retention_archives = false;
  std::uint64_t retention_files = 0, retention_bytes = 0, retention_errors = 0;
  std::optional<TimeUs> retention_last_pass;
  std::uint64_t queue_depth = 0, queue_capacity = 0;
  std::uint64_t seal_queue = 0;                     // closed files queued for (or being) sealed
  std::uint64_t live_subscribers = 0;
  std::uint64_t ticks_relayed = 0;                  // passthrough: upstream ticks relayed to clients
  std::uint64_t relays_open = 0, relays_connected = 0;  // passthrough: upstream connections (one per contract)
  std::uint64_t outages_total = 0;
  std::uint64_t reconnects_total = 0;

  std::uint64_t disk_free_bytes = 0;
  bool disk_full = false;                           // writing paused: below IB_STREAM_MIN_FREE_MB or ENOSPC
  bool storage_writable = true;
  bool catalog_ok = true;
  std::string last_error;                           // newest storage/catalog error, no secrets
};

}  // namespace ibr::daemon
