// `ib-recorder run` under systemd's Type=notify: READY=1 arrives only once storage is
// recovered and the HTTP port listens (a /health request made on READY is answered at
// once), and SIGTERM sends STOPPING=1 before the run ends with exit 0.
#include <gtest/gtest.h>
#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>
#include <thread>

#include "cli/run_command.h"
#include "cli/run_test_env.h"
#include "support/notify_listener.h"

namespace ibr::cli {
namespace {

TEST(RunRecorderNotify, ReadyOnlyOnceHttpListensAndStoppingOnSigterm) {
  char tmpl[] = "/tmp/ibr-run-notify-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  const std::string socket = "@ibr-run-notify-" + std::to_string(::getpid());
  ibr::testing::NotifyListener listener(socket);
  ASSERT_TRUE(listener.bound());
  const int port = testing::FreeLoopbackPort();
  ASSERT_GT(port, 0);
  const daemon::RecorderFlags flags = testing::SimRecorderFlags(dir, port);
  ::setenv("NOTIFY_SOCKET", socket.c_str(), 1);

  const pthread_t self = pthread_self();
  std::optional<std::string> ready, stopping;
  int health_status = -1;
  std::thread watcher([&] {
    ready = listener.Receive(60000);  // a deadline for the condition, not a timing
    if (ready) {
      httplib::Client c("127.0.0.1", port);
      c.set_connection_timeout(5, 0);
      auto r = c.Get("/health");  // once, no retry: READY promised the port listens
      health_status = r ? r->status : 0;
    }
    pthread_kill(self, SIGTERM);
    stopping = listener.Receive(60000);
  });
  EXPECT_EQ(RunRecorder(flags, SystemClock::Instance()), 0);
  watcher.join();
  ::unsetenv("NOTIFY_SOCKET");
  ASSERT_TRUE(ready.has_value()) << "no READY=1 from ib-recorder run";
  EXPECT_EQ(ready->rfind("READY=1\nSTATUS=recording from sim, HTTP on 127.0.0.1:" + std::to_string(port), 0), 0u)
      << *ready;
  EXPECT_EQ(health_status, 200);
  ASSERT_TRUE(stopping.has_value()) << "no STOPPING=1 after SIGTERM";
  EXPECT_EQ(stopping->rfind("STOPPING=1\nSTATUS=received SIGTERM", 0), 0u) << *stopping;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ibr::cli
