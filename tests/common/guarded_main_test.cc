// GuardedMain: an exception from main's body, or one thrown on another thread,
// ends the process with a message and exit 1, never std::terminate's abort.
#include "common/guarded_main.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

namespace ibr {
namespace {

TEST(GuardedMainTest, ReturnsTheBodysExitCode) {
  EXPECT_EQ(GuardedMain("t", [] { return 3; }), 3);
}

TEST(GuardedMainTest, AnExceptionIsAMessageAndExitOne) {
  testing::internal::CaptureStderr();
  int rc = GuardedMain("ib-test", []() -> int { throw std::runtime_error("boom"); });
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(rc, 1);
  EXPECT_NE(err.find("ib-test: internal error: boom"), std::string::npos) << err;
}

TEST(GuardedMainDeathTest, AnExceptionOnAnotherThreadExitsOneNotAbort) {
  EXPECT_EXIT(GuardedMain("ib-test",
                          [] {
                            std::thread([] { throw std::logic_error("thread boom"); }).join();
                            return 0;
                          }),
              testing::ExitedWithCode(1), "ib-test: internal error: thread boom");
}

}  // namespace
}  // namespace ibr
