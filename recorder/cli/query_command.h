// `ib-recorder query`: prints the ticks of one contract over a time range —
// from a storage root, or (--federated) from every instance the central
// PostgreSQL says covered it — as ndjson, json, csv or protobuf on stdout.
// A reader: no lock, no change. QueryOptions holds the command line as typed
// (CLI11 in app.cc fills it); RunQuery validates and runs it. Main thread.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "query/range_spec.h"

namespace ibr::cli {

struct QueryOptions {
  std::string storage;                       // --storage DIR (default: $IB_STREAM_STORAGE_PATH)
  std::string contract;                      // --contract ID (required)
  std::string tick_types = "bid_ask";        // --tick-types a,b
  std::string format = "ndjson";             // --format ndjson|json|csv|protobuf
  std::optional<std::string> limit;          // --limit N

  // The range: exactly one of these forms.
  std::optional<std::string> start, end;     // --start T [--end T]
  std::optional<std::string> last;           // --last DURATION
  bool today = false;                        // --today
  bool since_open = false;                   // --since-open [--market M]
  std::optional<std::string> session;        // --session TYPE [--market M] [--date YYYY-MM-DD]
  std::optional<std::string> date;
  std::optional<std::string> previous_sessions;  // --previous-sessions N [--session-type TYPE] [--market M]
  std::optional<std::string> session_type;
  std::optional<std::string> market;         // US (default), UK, JP

  // Cross-server reads (recorder/federation/FEDERATION.md).
  bool federated = false;                    // --federated
  std::optional<std::string> dsn;            // --dsn DSN (default: libpq's PG* variables)
  std::optional<std::string> api_key;        // --api-key KEY (default: $IB_STREAM_API_KEY)
  std::string read_via = "auto";             // --read-via auto|files|http
};

// Exit codes: 0 done (also for zero ticks), 1 the query failed (damaged file,
// I/O error, output closed, central database unreachable), 2 usage error or
// no catalog at --storage, 3 (--federated) incomplete: some covered time could
// not be read from any instance; the rest was printed, the holes on stderr.
int RunQuery(const QueryOptions& options, const Clock& clock);
// The same, writing ticks to `out` and messages to `err` (for tests).
int RunQuery(const QueryOptions& options, const Clock& clock, std::FILE* out, std::FILE* err);

// The one range form of `options` (--start/--end, --last, --today, --since-open,
// --session, --previous-sessions and their modifiers), checked: InvalidArgument
// naming the flag. Shared by `export`, which takes the same range options.
Result<query::RangeSpec> BuildQueryRangeSpec(const QueryOptions& options);

}  // namespace ibr::cli
