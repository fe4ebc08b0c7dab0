// RecorderConfig: everything `ib-recorder run` is configured with, resolved
// the seeds' way (DESIGN.md "Ports and environments"): command line > process
// environment > env file > defaults, with the environment's port block.
// A bad value is an error naming the variable, the value and what is
// expected. Secrets (IB_STREAM_API_KEY) are kept apart from the snapshot.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "common/tick.h"
#include "config/host_resolver.h"
#include "config/tracked_contracts.h"
#include "daemon/recorder_mode.h"
#include "storage/retention.h"

namespace ibr::daemon {

using TrackedContract = config::TrackedContract;
using config::ParseTrackedContracts;  // "711280073:MNQ:bid_ask;last:24,265598:AAPL" (config/tracked_contracts.h)

struct RecorderConfig {
  std::string environment = "production";   // IB_STREAM_ENVIRONMENT
  std::string storage_path;                 // IB_STREAM_STORAGE_PATH (default /var/lib/ib-recorder/{environment})
  std::string instance_name;                // IB_STREAM_INSTANCE_NAME (default {environment}-{hostname})
  std::vector<TrackedContract> tracked;     // IB_STREAM_TRACKED_CONTRACTS id:symbol:tick;types:buffer_hours,...
  int max_tracked = 10;                     // IB_STREAM_MAX_TRACKED
  std::string source = "sse";               // IB_STREAM_SOURCE: sse | sim | http
  int upstream_port = 8001;                 // PORT (the upstream ib-stream server's port)
  std::string upstream_url;                 // IB_STREAM_UPSTREAM_URL (default http://127.0.0.1:{PORT})
  int recorder_port = 8002;                 // IB_STREAM_RECORDER_PORT (default base + 2)
  std::string bind = "127.0.0.1";           // IB_STREAM_RECORDER_BIND
  std::string api_key;                      // IB_STREAM_API_KEY (secret: never logged or shown)
  int client_id = 2;                        // IB_STREAM_CLIENT_ID (default by environment)
  TimeUs reconnect_delay = 2 * kUsPerSecond;  // IB_STREAM_RECONNECT_DELAY (seconds or a duration)
  TimeUs fsync_interval = kUsPerSecond;     // IB_STREAM_FSYNC_INTERVAL_MS
  std::uint64_t min_free_bytes = 1024ull << 20;  // IB_STREAM_MIN_FREE_MB
  TimeUs stale_after = 300 * kUsPerSecond;  // IB_STREAM_STALE_SECONDS
  std::uint64_t max_file_bytes = 200ull << 20;   // IB_STREAM_MAX_FILE_SIZE_MB
  TimeUs seal_grace = 300 * kUsPerSecond;   // IB_STREAM_SEAL_GRACE_SECONDS
  int lz4_level = 4;                        // IB_STREAM_LZ4_LEVEL
  int max_concurrent_queries = 2;           // IB_STREAM_MAX_CONCURRENT_QUERIES: historical/buffer reads at once
  double sim_rate = 20;                     // IB_STREAM_SIM_RATE: ticks/s per contract (sim source)
  // IB_STREAM_RETENTION_DAYS[_<TICK TYPE>], IB_STREAM_ARCHIVE_PATH: the writer applies it once an hour.
  storage::RetentionPolicy retention;
  // IB_STREAM_MODE, else IB_STREAM_ENABLE_STORAGE=false: passthrough with an upstream set, else read-only.
  RecorderMode mode = RecorderMode::kRecording;
  bool read_only = false;                   // writes nothing: mode read-only or passthrough (--read-only: read-only)
  std::string env_file;                     // --env-file, when given
  std::vector<std::string> warnings;        // e.g. unknown IB_STREAM_* names (likely typos), for the log

  // The JSON snapshot stored with the collection session: every setting but secrets.
  std::string SnapshotJson() const;
};

// Command-line values (empty / nullopt when not given).
struct RecorderFlags {
  std::string env_file;
  std::string storage;
  std::optional<int> port;
  std::string bind;
  std::string source;
  std::string upstream;
  bool read_only = false;
};

// Every variable ResolveRecorderConfig reads (from the settings registry).
const std::vector<std::string>& RecorderVariableNames();
// True when `bind` resolves (through `resolver`) to loopback addresses only:
// 127.0.0.0/8, ::1, "localhost" as /etc/hosts has it. A name that does not
// resolve, or resolves to any other address, is not loopback.
bool IsLoopbackAddress(std::string_view bind, const config::HostResolver& resolver = config::SystemHostResolver());

// Resolves flags > `environ` (the process environment as a map) > env file > defaults.
// The bind address is resolved through `resolver`: it must resolve, and only to
// loopback addresses unless IB_STREAM_API_KEY is set.
Result<RecorderConfig> ResolveRecorderConfig(const RecorderFlags& flags, const std::map<std::string, std::string>& environ,
                                             const config::HostResolver& resolver = config::SystemHostResolver());
// The process environment as a map (for ResolveRecorderConfig).
std::map<std::string, std::string> ProcessEnvironment();
// Parses an env file: KEY=VALUE lines, '#' comments, blank lines, optional
// single or double quotes, optional leading "export ". Errors name the line.
Result<std::map<std::string, std::string>> ReadEnvFile(const std::string& path);

}  // namespace ibr::daemon
