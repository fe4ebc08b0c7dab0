// Shared by the tests that call RunRecorder in-process (tests/cli/run_command*_test.cc): a
// free loopback port, and the process environment and flags of a development recorder on
// the built-in simulator with one tracked contract, storing under a scratch directory.
// Call from the test's main thread, before any recorder thread runs (it edits the environment).
#pragma once

#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "daemon/recorder_config.h"

namespace ibr::cli::testing {

// A port nothing listens on right now (0 if none could be found).
inline int FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  ::close(fd);
  return port;
}

// Clears the variables that would point elsewhere, sets a development recorder tracking
// 265598 (AAPL) bid_ask+last, and returns flags storing under {dir}/store on `port`.
inline daemon::RecorderFlags SimRecorderFlags(const std::string& dir, int port) {
  for (const char* v : {"IB_STREAM_STORAGE_PATH", "IB_STREAM_API_KEY", "IB_STREAM_RECORDER_BIND", "IB_STREAM_SOURCE",
                        "IB_STREAM_INSTANCE_NAME", "PORT"}) {
    ::unsetenv(v);
  }
  ::setenv("IB_STREAM_ENVIRONMENT", "development", 1);
  ::setenv("IB_STREAM_TRACKED_CONTRACTS", "265598:AAPL:bid_ask;last:1", 1);
  ::setenv("IB_STREAM_MIN_FREE_MB", "1", 1);
  daemon::RecorderFlags flags;
  flags.storage = dir + "/store";
  flags.port = port;
  flags.source = "sim";
  return flags;
}

}  // namespace ibr::cli::testing
