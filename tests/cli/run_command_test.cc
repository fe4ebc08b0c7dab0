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
#include <fstream>
#include <thread>

#include "catalog/catalog.h"
#include "storage/layout.h"
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

// The environment the start-up tests below share: nothing inherited, the development block.
std::string StartUpDir() {
  char tmpl[] = "/tmp/ibr-run-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) return "";
  for (const char* v : {"IB_STREAM_STORAGE_PATH", "IB_STREAM_API_KEY", "IB_STREAM_RECORDER_BIND", "IB_STREAM_SOURCE",
                        "IB_STREAM_INSTANCE_NAME", "PORT", "IB_STREAM_TRACKED_CONTRACTS"}) {
    ::unsetenv(v);
  }
  ::setenv("IB_STREAM_ENVIRONMENT", "development", 1);
  ::setenv("IB_STREAM_MIN_FREE_MB", "1", 1);
  return tmpl;
}

class EvilNameResolver final : public config::HostResolver {
 public:
  Result<std::vector<std::string>> Resolve(const std::string& host) const override {
    if (host == "127.evil.test") return std::vector<std::string>{"192.0.2.10"};  // an /etc/hosts entry's effect
    return config::SystemHostResolver().Resolve(host);
  }
};

// Runs the recorder with --bind `bind`; expects exit 2 with nothing created; returns stderr.
std::string RefusedBindError(const std::string& bind, const config::HostResolver& resolver) {
  const std::string dir = StartUpDir();
  EXPECT_FALSE(dir.empty());
  daemon::RecorderFlags flags;
  flags.storage = dir + "/store";
  flags.source = "http";
  flags.bind = bind;
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RunRecorder(flags, SystemClock::Instance(), resolver), 2) << bind;
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_FALSE(std::filesystem::exists(flags.storage)) << "nothing may be created before the refusal";
  std::filesystem::remove_all(dir);
  return err;
}

TEST(RunRecorder, ABindNameResolvingOffLoopbackIsRefusedAtStartUpWithoutAKey) {
  // Regression (issue 10 item 1): "127.evil.test" passed as loopback because it starts with "127.".
  EvilNameResolver names;
  std::string err = RefusedBindError("127.evil.test", names);
  EXPECT_NE(err.find("--bind='127.evil.test' is not a loopback address (it resolves to 192.0.2.10)"), std::string::npos)
      << err;
}

TEST(RunRecorder, ABindNameThatDoesNotResolveExitsTwo) {
  std::string err = RefusedBindError("127.invalid", config::SystemHostResolver());
  EXPECT_NE(err.find("--bind='127.invalid' is not valid: '127.invalid' does not resolve"), std::string::npos) << err;
}

TEST(RunRecorder, APortInUseIsAStartUpErrorAndTheSessionIsNotCompleted) {
  const std::string dir = StartUpDir();
  ASSERT_FALSE(dir.empty());
  // Another process's listener on the port.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  daemon::RecorderFlags flags;
  flags.storage = dir + "/store";
  flags.source = "http";
  flags.port = ntohs(a.sin_port);
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RunRecorder(flags, SystemClock::Instance()), 2);
  std::string err = ::testing::internal::GetCapturedStderr();
  ::close(fd);
  EXPECT_NE(err.find("cannot bind"), std::string::npos) << err;
  if (std::filesystem::exists(storage::CatalogPath(flags.storage))) {  // a session opened: it must say `failed`
    auto cat = catalog::Catalog::Open(storage::CatalogPath(flags.storage), catalog::Catalog::Mode::kReadOnly,
                                      SystemClock::Instance());
    ASSERT_TRUE(cat.ok()) << cat.status().ToString();
    auto sessions = (*cat)->ListSessions();
    ASSERT_TRUE(sessions.ok()) << sessions.status().ToString();
    for (const auto& row : *sessions) {
      EXPECT_EQ(row.status, catalog::SessionStatus::kFailed) << catalog::SessionStatusName(row.status);
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(RunRecorder, AnInvalidSymbolInTheEnvFileStopsStartUpBeforeAnythingIsCreated) {
  // Regression (issue 10 item 4): a 0xFF byte in a symbol aborted the recorder (exit 134) and
  // left a .lock and a catalog behind.
  const std::string dir = StartUpDir();
  ASSERT_FALSE(dir.empty());
  std::ofstream(dir + "/bad.env") << "IB_STREAM_TRACKED_CONTRACTS=711280073:MNQ\xFF\n";
  daemon::RecorderFlags flags;
  flags.env_file = dir + "/bad.env";
  flags.storage = dir + "/store";
  flags.source = "http";
  flags.port = testing::FreeLoopbackPort();
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RunRecorder(flags, SystemClock::Instance()), 2);
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("IB_STREAM_TRACKED_CONTRACTS='711280073:MNQ\\xFF'"), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(storage::LockPath(flags.storage)));
  EXPECT_FALSE(std::filesystem::exists(storage::CatalogPath(flags.storage)));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ibr::cli
