// The live seam: a subscriber's history (ticks with arrival_seq <= start_seq,
// read from files + catalog the moment Subscribe returns) plus its live ticks
// (pushed by the writer) is every stored tick exactly once — while a producer
// keeps submitting. The clock never moves, so only Subscribe's own hand-off
// makes the history readable.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "daemon_test_util.h"

namespace ibr::testing {
namespace {

class SubscribeSeamTest : public WriterServiceFixture {};

std::vector<Tick> History(const std::string& root, catalog::Catalog& cat, std::uint32_t cid, TimeUs from, TimeUs to) {
  query::QueryEngine engine(PosixFileSystem::Instance(), root, cat);
  query::TickQuery q;
  q.contract_id = cid;
  q.tick_types = {TickType::kBidAsk};
  q.ranges = {{from, to}};
  CollectSink sink;
  auto r = engine.Run(q, sink);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(sink.ticks);
}

TEST_F(SubscribeSeamTest, HistoryPlusLiveIsEveryTickExactlyOnce) {
  auto o = Options();
  o.subscriber_capacity = 1'000'000;  // drained only at the end
  StartService(Config(), std::move(o));
  const TimeUs t0 = clock_.Now();
  constexpr int kTicks = 20'000;
  constexpr int kSubs = 4;
  std::atomic<int> produced{0};
  std::thread producer([&] {
    ingest::V2Decoder dec;
    for (int i = 1; i <= kTicks; ++i) {
      std::string line = QuoteLine(kAapl, t0 + i, 229, static_cast<std::uint64_t>(i));
      service_->Submit(dec.Decode(line, t0), static_cast<std::uint64_t>(i), line);
      // A little noise on another contract: never delivered to the subscriber.
      if (i % 100 == 0) {
        std::string other = QuoteLine(kMnq, t0 + i, 23260);
        service_->Submit(dec.Decode(other, t0), 0, other);
      }
      produced.store(i);
    }
  });

  std::vector<std::shared_ptr<daemon::LiveSubscription>> subs;
  std::vector<std::vector<Tick>> histories;
  for (int k = 0; k < kSubs; ++k) {
    while (produced.load() < (k + 1) * kTicks / (kSubs + 1)) std::this_thread::yield();
    auto sub = service_->Subscribe(kAapl, {TickType::kBidAsk});
    ASSERT_TRUE(sub.ok()) << sub.status().ToString();
    auto cat = ReadCatalog();
    std::vector<Tick> h = History(Config().storage_path, *cat, kAapl, t0, t0 + kUsPerHour);
    std::erase_if(h, [&](const Tick& t) { return t.arrival_seq > (*sub)->start_seq(); });
    histories.push_back(std::move(h));
    subs.push_back(*sub);
  }
  producer.join();
  ASSERT_TRUE(service_->Barrier().ok());
  daemon::RecorderStatus st = service_->Status();
  ASSERT_EQ(st.ticks_dropped, 0u);
  ASSERT_EQ(st.live_subscribers, static_cast<std::uint64_t>(kSubs));

  for (int k = 0; k < kSubs; ++k) {
    const auto& sub = subs[static_cast<std::size_t>(k)];
    const std::uint64_t start = sub->start_seq();
    std::vector<Tick> live;
    while (auto t = sub->Pop(0)) live.push_back(std::move(*t));
    ASSERT_FALSE(sub->closed()) << sub->reason();
    const auto& history = histories[static_cast<std::size_t>(k)];
    // The history is complete up to start_seq at the moment Subscribe returned...
    EXPECT_GT(history.size(), 0u);
    for (const auto& t : live) ASSERT_GT(t.arrival_seq, start);
    // ...and together with the live ticks it is every AAPL tick exactly once.
    std::vector<std::uint64_t> upstream;
    const std::vector<Tick>* parts[] = {&history, &live};
    for (const std::vector<Tick>* part : parts) {
      for (const auto& t : *part) {
        ASSERT_EQ(t.contract_id, kAapl);
        upstream.push_back(*t.sequence);
      }
    }
    std::sort(upstream.begin(), upstream.end());
    ASSERT_EQ(upstream.size(), static_cast<std::size_t>(kTicks)) << "subscriber " << k;
    for (int i = 0; i < kTicks; ++i) ASSERT_EQ(upstream[static_cast<std::size_t>(i)], static_cast<std::uint64_t>(i + 1));
    // Live ticks arrive in arrival order.
    EXPECT_TRUE(std::is_sorted(live.begin(), live.end(),
                               [](const Tick& a, const Tick& b) { return a.arrival_seq < b.arrival_seq; }));
  }
  service_->Unsubscribe(subs[0]);
  Submit(QuoteLine(kAapl, t0 + kTicks + 1, 229));
  ASSERT_TRUE(service_->Barrier().ok());
  EXPECT_EQ(service_->Status().live_subscribers, static_cast<std::uint64_t>(kSubs - 1));
  service_->Stop("test done");
  EXPECT_TRUE(subs[1]->closed());
  EXPECT_EQ(subs[1]->reason(), "the recorder stopped");
}

}  // namespace
}  // namespace ibr::testing
