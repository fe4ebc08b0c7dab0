// SimSource: tracked contracts simulated in real time on the Clock — nothing
// ahead of the clock, each contract with its own tick types — and Stop ends it.
#include "daemon/sim_source.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "storage/storage_test_util.h"

namespace ibr::daemon {
namespace {

// Records what a source submits.
class RecordingService final : public RecorderService {
 public:
  void Submit(ingest::DecodeResult item, std::uint64_t, std::string_view) override {
    std::lock_guard<std::mutex> lock(mu);
    items.push_back(std::move(item));
    cv.notify_all();
  }
  void StreamConnected(std::uint32_t) override {}
  void StreamDisconnected(std::uint32_t, const std::string&) override {}
  Result<IngestAck> IngestBatch(std::string_view) override { return IngestAck{}; }
  Result<std::shared_ptr<LiveSubscription>> Subscribe(std::uint32_t, std::vector<TickType>) override {
    return Status::Internal("unused");
  }
  void Unsubscribe(const std::shared_ptr<LiveSubscription>&) override {}
  RecorderStatus Status() const override { return {}; }
  const RecorderConfig& config() const override { return config_; }
  const std::string& storage_root() const override { return config_.storage_path; }
  void Stop(const std::string&) override {}

  // Waits (bounded) until at least n items arrived; returns how many there are.
  std::size_t WaitFor(std::size_t n) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, std::chrono::seconds(20), [&] { return items.size() >= n; });
    return items.size();
  }

  std::mutex mu;
  std::condition_variable cv;
  std::vector<ingest::DecodeResult> items;

 private:
  RecorderConfig config_;
};

TEST(SimSourceTest, NeedsTrackedContracts) {
  ManualClock clock(testing::T("2025-03-10T14:00:00Z"));
  RecorderConfig c;
  SimSource src(c, clock);
  RecordingService svc;
  Status s = src.Start(svc);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("IB_STREAM_TRACKED_CONTRACTS"), std::string::npos);
}

TEST(SimSourceTest, ReleasesTicksAsTheClockReachesThem) {
  const TimeUs t0 = testing::T("2025-03-10T14:00:00Z");
  ManualClock clock(t0);
  RecorderConfig c;
  c.tracked = {{711280073, "MNQ", {TickType::kBidAsk, TickType::kLast}, 1}, {265598, "AAPL", {TickType::kMidPoint}, 1}};
  c.sim_rate = 50;
  SimSource src(c, clock);
  RecordingService svc;
  ASSERT_TRUE(src.Start(svc).ok());
  EXPECT_EQ(src.name(), "sim");

  clock.Advance(2 * kUsPerSecond);
  ASSERT_GE(svc.WaitFor(100), 100u);  // ~50/s per contract: 200 in two seconds
  src.Stop();
  const TimeUs stop_at = clock.Now();
  std::size_t mnq = 0, aapl = 0;
  {
    std::lock_guard<std::mutex> lock(svc.mu);
    for (const auto& r : svc.items) {
      ASSERT_EQ(r.kind, ingest::DecodeResult::Kind::kTick) << r.detail;
      const Tick& t = r.tick;
      EXPECT_GE(t.timestamp_us, t0);
      EXPECT_LE(t.timestamp_us, stop_at);  // nothing ahead of the clock
      if (t.contract_id == 711280073) {
        ++mnq;
        EXPECT_TRUE(t.tick_type == TickType::kBidAsk || t.tick_type == TickType::kLast);
      } else {
        ++aapl;
        EXPECT_EQ(t.contract_id, 265598u);
        EXPECT_EQ(t.tick_type, TickType::kMidPoint);
      }
    }
  }
  EXPECT_GT(mnq, 0u);
  EXPECT_GT(aapl, 0u);
  // Stopped (its thread has ended): time moving on brings nothing more.
  const std::size_t n = svc.items.size();
  EXPECT_EQ(src.lines(), n);
  clock.Advance(10 * kUsPerSecond);
  src.Stop();
  EXPECT_EQ(svc.items.size(), n);
}

}  // namespace
}  // namespace ibr::daemon
