// `ib-recorder query`: prints the ticks of one contract over a time range
// from a storage root, as ndjson, json, csv or protobuf frames on stdout.
//
// A reader: takes no lock and changes nothing, so it is safe beside a running
// recorder. QueryOptions holds the command line as typed (CLI11 in app.cc
// fills it); RunQuery validates it (exit 2 with a message quoting the bad
// input), runs the query and returns the exit code. Main thread.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "common/clock.h"

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
};

// Exit codes: 0 done (also for zero ticks), 1 the query failed (damaged file,
// I/O error, output closed), 2 usage error or no catalog at --storage.
int RunQuery(const QueryOptions& options, const Clock& clock);
// The same, writing ticks to `out` and messages to `err` (for tests).
int RunQuery(const QueryOptions& options, const Clock& clock, std::FILE* out, std::FILE* err);

}  // namespace ibr::cli
