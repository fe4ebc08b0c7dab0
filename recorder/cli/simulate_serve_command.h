// `ib-recorder simulate --serve ADDR`: the simulator served as an ib-stream
// server (daemon/sse_simulator_server.h) on ADDR until SIGTERM or SIGINT -- the
// upstream for trying and testing `run --source sse`. Uses the `simulate`
// options: --contracts is optional (it names symbols; any requested id is
// served), --rate and --seed apply; --start, --duration and --tick-types are
// refused (ticks are stamped in real time, each request picks its tick types).
// Main thread.
#pragma once

#include <string>
#include <string_view>

#include "cli/simulate_command.h"
#include "common/status.h"

namespace ibr::cli {

struct ServeAddress {
  std::string host;  // "127.0.0.1" when ADDR gave none
  int port = 0;      // 0: any free port (the one chosen is printed)
};

// "127.0.0.1:8001", ":8001" or "8001" (loopback), "0.0.0.0:8001", "[::1]:8001".
Result<ServeAddress> ParseServeAddress(std::string_view text);

// Exit codes: 0 stopped by SIGTERM/SIGINT, 1 cannot listen, 2 usage.
int RunSimulateServe(const SimulateOptions& options, const std::string& address);

}  // namespace ibr::cli
