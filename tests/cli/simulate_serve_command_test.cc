// `simulate --serve`: address forms, usage errors (exit 2, nothing started),
// a port in use (exit 1), and a served stream ended by SIGTERM (exit 0).
#include "cli/simulate_serve_command.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <functional>
#include <chrono>
#include <thread>
#include <vector>

#include "daemon/sse_simulator_server.h"

namespace ibr::cli {
namespace {

TEST(ParseServeAddress, Forms) {
  auto a = ParseServeAddress("127.0.0.1:8001");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8001);
  a = ParseServeAddress(":8101");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");  // no host: loopback, not every interface
  EXPECT_EQ(a->port, 8101);
  a = ParseServeAddress("8201");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->port, 8201);
  a = ParseServeAddress("0.0.0.0:0");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "0.0.0.0");
  EXPECT_EQ(a->port, 0);
  a = ParseServeAddress("[::1]:8001");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "::1");
  for (const char* bad : {"", "host:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:80x", "::1:8001", "localhost"}) {
    auto r = ParseServeAddress(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("expected HOST:PORT"), std::string::npos) << r.status().message();
    }
  }
}

TEST(RunSimulateServe, UsageErrorsExitTwoWithoutServing) {
  EXPECT_EQ(RunSimulateServe(SimulateOptions{}, "127.0.0.1:notaport"), 2);
  const std::vector<std::function<void(SimulateOptions&)>> bad = {
      [](SimulateOptions& o) { o.rate = "0"; },
      [](SimulateOptions& o) { o.contracts = "711280073:MNQ,bad id"; },
      [](SimulateOptions& o) { o.duration = "1h"; },   // does not apply to --serve
      [](SimulateOptions& o) { o.start = "2025-03-10"; },
      [](SimulateOptions& o) { o.tick_types = "bid_ask"; },
      [](SimulateOptions& o) { o.seed = "-1"; },
  };
  for (std::size_t i = 0; i < bad.size(); ++i) {
    SimulateOptions o;
    bad[i](o);
    EXPECT_EQ(RunSimulateServe(o, "127.0.0.1:0"), 2) << "case " << i;
  }
}

TEST(RunSimulateServe, PortInUseExitsOne) {
  daemon::SseSimulatorServer holder({}, SystemClock::Instance());
  ASSERT_TRUE(holder.Start("127.0.0.1", 0).ok());
  EXPECT_EQ(RunSimulateServe(SimulateOptions{}, "127.0.0.1:" + std::to_string(holder.port())), 1);
}

TEST(RunSimulateServe, ServesUntilSigterm) {
  // Find a free port, then serve on it from this thread; another thread
  // checks the stream and sends SIGTERM to this thread (which sigwaits).
  int port = 0;
  {
    daemon::SseSimulatorServer probe({}, SystemClock::Instance());
    ASSERT_TRUE(probe.Start("127.0.0.1", 0).ok());
    port = probe.port();
  }
  const pthread_t self = pthread_self();
  std::atomic<int> status{0};
  std::atomic<bool> got_info{false};
  std::thread client([&] {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(10, 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (status.load() == 0 && std::chrono::steady_clock::now() < deadline) {  // until the server listens
      std::string body;
      c.Get("/v2/stream/711280073?tick_types=last", [&](const httplib::Response& r) {
        status = r.status;
        return true;
      }, [&](const char* d, std::size_t n) {
        body.append(d, n);
        got_info = body.find("event: info\ndata: {\"type\": \"info\"") != std::string::npos;
        return !got_info.load();
      });
      if (status.load() == 0) std::this_thread::yield();
    }
    pthread_kill(self, SIGTERM);
  });
  SimulateOptions o;
  o.contracts = "711280073:MNQ";
  EXPECT_EQ(RunSimulateServe(o, "127.0.0.1:" + std::to_string(port)), 0);
  client.join();
  EXPECT_EQ(status.load(), 200);
  EXPECT_TRUE(got_info.load());
}

}  // namespace
}  // namespace ibr::cli
