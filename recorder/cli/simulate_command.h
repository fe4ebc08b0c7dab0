// `ib-recorder simulate`: writes synthetic v2 tick lines (ingest/simulator.h) to
// stdout, deterministic per seed. SimulateOptions is the command line as typed
// (CLI11 in app.cc fills it); RunSimulate validates it (exit 2, message quoting the
// bad value on stderr) and writes; a reader closing the pipe early (`| head`)
// ends it quietly with exit 0. Main thread.
#pragma once

#include <cstdio>
#include <string>

#include "common/clock.h"

namespace ibr::cli {

struct SimulateOptions {
  std::string contracts;                 // --contracts 711280073:MNQ,265598:AAPL (required)
  std::string tick_types;                // --tick-types bid_ask,last (empty: all four)
  std::string rate = "10";               // --rate N: ticks per second per contract
  std::string start;                     // --start T, ISO-8601 (empty: now, rounded down to the minute)
  std::string duration = "1m";           // --duration N(w|d|h|m|s)
  std::string seed = "1";                // --seed S
};

// Exit codes: 0 done (also when the reader went away), 1 write error, 2 usage.
int RunSimulate(const SimulateOptions& options);
// The same with an injected clock, output descriptor and message stream (tests).
int RunSimulate(const SimulateOptions& options, const Clock& clock, int out_fd, std::FILE* err);

}  // namespace ibr::cli
