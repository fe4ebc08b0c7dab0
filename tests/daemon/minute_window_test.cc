// MinuteWindow: per-minute counts over the last 30 minutes, oldest first.
#include "daemon/minute_window.h"

#include <gtest/gtest.h>

namespace ibr::daemon {
namespace {

TEST(MinuteWindowTest, CountsPerMinuteAndForgetsOldMinutes) {
  const TimeUs t0 = 1741615200LL * kUsPerSecond;  // 2025-03-10T14:00:00Z
  MinuteWindow w;
  w.Add(t0);
  w.Add(t0 + 59 * kUsPerSecond, 2);
  w.Add(t0 + kUsPerMinute);
  auto last = w.Last(t0 + kUsPerMinute + 5 * kUsPerSecond);
  ASSERT_EQ(last.size(), 30u);
  EXPECT_EQ(last[29], 1u);
  EXPECT_EQ(last[28], 3u);
  EXPECT_EQ(last[27], 0u);
  // 29 minutes later the first minute is the oldest still shown; at 30 it is gone.
  EXPECT_EQ(w.Last(t0 + 29 * kUsPerMinute)[0], 3u);
  EXPECT_EQ(w.Last(t0 + 30 * kUsPerMinute)[0], 1u);
  // A minute that reuses a ring slot starts from zero.
  w.Add(t0 + 30 * kUsPerMinute);
  auto later = w.Last(t0 + 30 * kUsPerMinute);
  EXPECT_EQ(later[29], 1u);
  EXPECT_EQ(later[0], 1u);  // t0 + 1 min
}

}  // namespace
}  // namespace ibr::daemon
