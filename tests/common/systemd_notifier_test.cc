// SystemdNotifier against a real AF_UNIX datagram socket, as systemd listens on one: a
// path socket and an abstract-namespace ('@') one; disabled without a socket; a clear
// error when nobody listens.
#include "common/systemd_notifier.h"

#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

#include "support/notify_listener.h"

namespace ibr {
namespace {

using testing::NotifyListener;

std::string UniqueName(const char* tag) { return std::string(tag) + "-" + std::to_string(::getpid()); }

TEST(SystemdNotifierTest, SendsReadyStatusAndStoppingToAPathSocket) {
  const std::string path = (::testing::TempDir() + UniqueName("ibr-notify")).substr(0, 100);
  NotifyListener listener(path);
  ASSERT_TRUE(listener.bound()) << path;
  SystemdNotifier n(path);
  ASSERT_TRUE(n.enabled());
  ASSERT_TRUE(n.Ready("recording 2 contracts").ok());
  EXPECT_EQ(listener.Receive(5000).value_or("<nothing received>"), "READY=1\nSTATUS=recording 2 contracts");
  ASSERT_TRUE(n.SetStatus("line one\nline two").ok());
  EXPECT_EQ(listener.Receive(5000).value_or("<nothing received>"), "STATUS=line one line two");  // one status line, never a second assignment
  ASSERT_TRUE(n.Stopping("stopping: SIGTERM").ok());
  EXPECT_EQ(listener.Receive(5000).value_or("<nothing received>"), "STOPPING=1\nSTATUS=stopping: SIGTERM");
}

TEST(SystemdNotifierTest, AtSignNamesTheAbstractNamespace) {
  const std::string name = "@" + UniqueName("ibr-notify-abstract");
  NotifyListener listener(name);
  ASSERT_TRUE(listener.bound()) << name;
  ASSERT_TRUE(SystemdNotifier(name).Send("WATCHDOG=1").ok());
  EXPECT_EQ(listener.Receive(5000).value_or("<nothing received>"), "WATCHDOG=1");
}

TEST(SystemdNotifierTest, WithoutASocketEveryCallIsANoOp) {
  SystemdNotifier n("");
  EXPECT_FALSE(n.enabled());
  EXPECT_TRUE(n.Ready("x").ok());
  EXPECT_TRUE(n.Stopping("x").ok());
}

TEST(SystemdNotifierTest, FromEnvironmentReadsNotifySocket) {
  ::setenv("NOTIFY_SOCKET", "@ibr-from-env", 1);
  EXPECT_EQ(SystemdNotifier::FromEnvironment().socket(), "@ibr-from-env");
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_FALSE(SystemdNotifier::FromEnvironment().enabled());
}

TEST(SystemdNotifierTest, NobodyListeningOrABadAddressIsAnErrorNamingTheSocket) {
  const std::string path = ::testing::TempDir() + UniqueName("ibr-notify-nobody");
  ::unlink(path.c_str());
  Status s = SystemdNotifier(path).Ready("x");
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
  Status bad = SystemdNotifier("relative/socket").Ready("x");
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("relative/socket"), std::string::npos) << bad.message();
}

}  // namespace
}  // namespace ibr
