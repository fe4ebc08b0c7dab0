// `ib-recorder run` (RunRecorder) on the built-in simulator: SIGTERM while a live SSE client
// is reading ends its stream with a final `complete` event (never `error`: the HTTP server
// stops before the service), and the run exits 0.
#include "cli/run_command.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "cli/run_test_env.h"

namespace ibr::cli {
namespace {

TEST(RunRecorder, SigtermEndsLiveStreamsWithCompleteAndExitsZero) {
  char tmpl[] = "/tmp/ibr-run-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  const int port = testing::FreeLoopbackPort();
  ASSERT_GT(port, 0);
  const daemon::RecorderFlags flags = testing::SimRecorderFlags(dir, port);
  ::setenv("IB_STREAM_SIM_RATE", "50", 1);

  const pthread_t self = pthread_self();
  std::atomic<bool> signalled{false};
  std::string body;
  std::thread client([&] {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(20, 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!signalled.load() && std::chrono::steady_clock::now() < deadline) {  // until the recorder listens
      body.clear();
      c.Get("/v2/stream/265598?tick_types=bid_ask,last", [&](const char* d, std::size_t n) {
        body.append(d, n);
        if (!signalled.load() && body.find("event: tick") != std::string::npos) {
          signalled = true;
          pthread_kill(self, SIGTERM);  // while this stream is open
        }
        return true;  // read on until the server ends the stream
      });
      if (!signalled.load()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!signalled.load()) pthread_kill(self, SIGTERM);  // never hang the test
  });
  EXPECT_EQ(RunRecorder(flags, SystemClock::Instance()), 0);
  client.join();
  ASSERT_TRUE(signalled.load()) << "no tick reached the live stream";
  const auto last_event = body.rfind("event: ");
  ASSERT_NE(last_event, std::string::npos) << body;
  EXPECT_EQ(body.compare(last_event, 15, "event: complete"), 0) << body.substr(last_event);
  EXPECT_EQ(body.find("event: error"), std::string::npos) << body.substr(body.find("event: error"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ibr::cli
