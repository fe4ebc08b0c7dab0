// Backoff (sse source reconnects, ib-sync retries): bounds, full and equal
// jitter, cap, reset only after a healthy connection. Scripted random numbers,
// ManualClock.
#include "common/backoff.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <vector>

namespace ibr {
namespace {

constexpr TimeUs kMs = 1000;

BackoffPolicy Policy() { return BackoffPolicy{100 * kMs, 1000 * kMs, 5000 * kMs}; }

TEST(Backoff, BoundDoublesFromTheInitialDelayUpToTheCap) {
  ManualClock clock(0);
  Backoff b(Policy(), clock, [] { return 0.999999; });
  std::vector<TimeUs> bounds, delays;
  for (int i = 0; i < 7; ++i) {
    bounds.push_back(b.NextBound());
    delays.push_back(b.Failed());
  }
  EXPECT_EQ(bounds, (std::vector<TimeUs>{100 * kMs, 200 * kMs, 400 * kMs, 800 * kMs, 1000 * kMs, 1000 * kMs, 1000 * kMs}));
  for (std::size_t i = 0; i < delays.size(); ++i) {
    EXPECT_LE(delays[i], bounds[i]);
    EXPECT_GE(delays[i], bounds[i] * 99 / 100);  // u close to 1: close to the bound
  }
  EXPECT_EQ(b.failures(), 7);
}

TEST(Backoff, FullJitterScalesTheBound) {
  ManualClock clock(0);
  std::deque<double> u = {0.0, 0.5, 0.25, 1.0, 7.0, -1.0};  // out-of-range values are clamped
  Backoff b(Policy(), clock, [&] {
    double v = u.front();
    u.pop_front();
    return v;
  });
  EXPECT_EQ(b.Failed(), 0);             // bound 100 ms
  EXPECT_EQ(b.Failed(), 100 * kMs);     // 0.5 of 200 ms
  EXPECT_EQ(b.Failed(), 100 * kMs);     // 0.25 of 400 ms
  EXPECT_EQ(b.Failed(), 800 * kMs);     // 1.0 of 800 ms
  EXPECT_EQ(b.Failed(), 1000 * kMs);    // clamped to 1.0, capped bound
  EXPECT_EQ(b.Failed(), 0);             // clamped to 0.0
}

TEST(Backoff, SameRandomNumbersSameDelays) {
  auto run = [] {
    ManualClock clock(0);
    std::uint64_t state = 42;
    Backoff b(Policy(), clock, [&] {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      return static_cast<double>(state >> 11) * 0x1.0p-53;
    });
    std::vector<TimeUs> out;
    for (int i = 0; i < 20; ++i) out.push_back(b.Failed());
    return out;
  };
  const auto a = run();
  EXPECT_EQ(a, run());
  TimeUs bound = 100 * kMs;
  for (TimeUs d : a) {
    EXPECT_GE(d, 0);
    EXPECT_LE(d, bound);
    bound = std::min(bound * 2, 1000 * kMs);
  }
}

TEST(Backoff, ResetsOnlyAfterAHealthyConnection) {
  ManualClock clock(1'000'000);
  Backoff b(Policy(), clock, [] { return 0.5; });
  for (int i = 0; i < 4; ++i) b.Failed();
  EXPECT_EQ(b.NextBound(), 1000 * kMs);

  // Up but dropped before healthy_after: keeps backing off.
  b.Connected();
  clock.Advance(4999 * kMs);
  b.Failed();
  EXPECT_EQ(b.failures(), 5);
  EXPECT_EQ(b.NextBound(), 1000 * kMs);

  // Up for healthy_after: the next failure starts from the initial delay.
  b.Connected();
  clock.Advance(5000 * kMs);
  EXPECT_EQ(b.Failed(), 50 * kMs);
  EXPECT_EQ(b.failures(), 1);
  EXPECT_EQ(b.NextBound(), 200 * kMs);

  // Time spent failing (not connected) never counts as healthy.
  clock.Advance(60'000 * kMs);
  b.Failed();
  EXPECT_EQ(b.NextBound(), 400 * kMs);
}

TEST(Backoff, DegeneratePoliciesStaySane) {
  ManualClock clock(0);
  Backoff zero(BackoffPolicy{0, 0, 0}, clock, [] { return 1.0; });
  EXPECT_EQ(zero.NextBound(), kMs);  // at least 1 ms
  EXPECT_EQ(zero.Failed(), kMs);
  Backoff many(Policy(), clock, [] { return 1.0; });
  for (int i = 0; i < 200; ++i) many.Failed();  // no overflow past the cap
  EXPECT_EQ(many.NextBound(), 1000 * kMs);
  Backoff seeded(Policy(), clock);  // default random source
  for (int i = 0; i < 50; ++i) {
    const TimeUs bound = seeded.NextBound();
    const TimeUs d = seeded.Failed();
    EXPECT_GE(d, 0);
    EXPECT_LE(d, bound);
  }
}

TEST(Backoff, EqualJitterDrawsFromTheUpperHalfAndResetStartsOver) {
  ManualClock clock(0);
  double u = 0.0;
  Backoff b(BackoffPolicy{500 * kMs, 8000 * kMs, 0, Jitter::kEqual}, clock, [&] { return u; });
  EXPECT_EQ(b.Failed(), 250 * kMs);  // bound 0.5 s, u = 0 -> bound/2
  u = 0.999999;
  EXPECT_NEAR(b.Failed(), 1000 * kMs, 2);  // bound 1 s, u ~ 1 -> bound
  u = 0.5;
  EXPECT_EQ(b.Failed(), 1500 * kMs);  // bound 2 s -> 1 s + 0.5 s
  for (int i = 0; i < 10; ++i) b.Failed();
  EXPECT_EQ(b.NextBound(), 8000 * kMs);
  EXPECT_EQ(b.Failed(), 6000 * kMs);  // capped bound: 4 s + 0.5 * 4 s
  b.Reset();
  EXPECT_EQ(b.failures(), 0);
  EXPECT_EQ(b.Failed(), 375 * kMs);
}

TEST(Backoff, WithoutAHealthyPeriodAnySuccessResets) {
  ManualClock clock(0);
  Backoff b(BackoffPolicy{100 * kMs, 1000 * kMs, 0, Jitter::kFull}, clock, [] { return 1.0; });
  for (int i = 0; i < 3; ++i) b.Failed();
  EXPECT_EQ(b.NextBound(), 800 * kMs);
  b.Connected();
  EXPECT_EQ(b.Failed(), 100 * kMs);
}

}  // namespace
}  // namespace ibr
