// Helpers for migration tests: storage roots filled with ticks through the real
// Store (files + catalog), and a clock. Test thread only.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/clock.h"
#include "storage/storage_test_util.h"

namespace ibr::testing {

// Writes `ticks` into a (new or existing) root owned by `instance`; the files stay open
// (unsealed), like a recorder that is still running or was stopped within the hour.
inline void WriteTicks(const std::string& root, const std::string& instance, std::vector<Tick> ticks,
                       const Clock& clock) {
  storage::StoreOptions o = Options(root);
  o.instance_name = instance;
  auto store = storage::Store::Open(o, PosixFileSystem::Instance(), clock);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  for (Tick& t : ticks) ASSERT_TRUE((*store)->writer().Append(t).ok());
  ASSERT_TRUE((*store)->writer().Flush().ok());
}

// One bid_ask quote per second from `from` for `n` seconds (price rising by a cent each).
inline std::vector<Tick> QuotesEverySecond(std::uint32_t cid, TimeUs from, int n, double base = 100.0) {
  std::vector<Tick> out;
  for (int i = 0; i < n; ++i) {
    const TimeUs ts = from + i * kUsPerSecond;
    out.push_back(Quote(cid, ts, base + i * 0.01, base + i * 0.01 + 0.25));
  }
  return out;
}

// The same ticks from T0 + [a, b) seconds.
inline std::vector<Tick> Slice(const std::vector<Tick>& all, TimeUs t0, int a, int b) {
  std::vector<Tick> out;
  for (const Tick& t : all) {
    if (t.timestamp_us >= t0 + a * kUsPerSecond && t.timestamp_us < t0 + b * kUsPerSecond) out.push_back(t);
  }
  return out;
}

// Two storage roots side by side in one temporary folder, as seed 003's blue-green layout has
// them (storage = blue, storage-new = green), a two-minute quote feed and a manual clock.
class TwoRootsTest : public ::testing::Test {
 protected:
  TwoRootsTest() : clock_(T("2025-03-10T14:10:00Z")) {}
  std::string Blue() const { return dir_.path() + "/storage"; }
  std::string Green() const { return dir_.path() + "/storage-new"; }
  const TimeUs t0_ = T("2025-03-10T14:00:00Z");
  std::vector<Tick> feed_ = QuotesEverySecond(265598, t0_, 120);
  TempDir dir_;
  ManualClock clock_;
};

}  // namespace ibr::testing
