// /v2/stream/{id}/with-buffer: buffer_start, the stored ticks of the window
// marked historical, buffer_complete, live_start, then live ticks — with
// ticks arriving between subscribe and replay, and during replay, each
// delivered exactly once (history up to the subscription's start_seq, live
// above it); limit keeps the newest buffered ticks.
#include <set>

#include "http_test_support.h"

namespace ibr::http::testing {
namespace {

class WithBufferTest : public HttpServerTest {
 protected:
  static std::vector<std::uint64_t> Ids(const std::vector<SseEvent>& ticks) {
    std::vector<std::uint64_t> out;
    for (const auto& e : ticks) out.push_back(e.data["data"]["sequence"].get<std::uint64_t>());
    return out;
  }
  static std::vector<std::uint64_t> Range(std::uint64_t from, std::uint64_t to) {
    std::vector<std::uint64_t> out;
    for (std::uint64_t i = from; i <= to; ++i) out.push_back(i);
    return out;
  }
  // Stores `n` quotes with ids from `first_id`, spread over the minutes before now.
  std::vector<Tick> StoreQuotes(std::uint64_t first_id, int n, TimeUs from) {
    std::vector<Tick> ticks;
    for (int i = 0; i < n; ++i) ticks.push_back(Quote(kAapl, from + i * 1000, first_id + i));
    return store_.Add(std::move(ticks));
  }
};

TEST_F(WithBufferTest, HistoryThenLiveWithNothingLostOrRepeatedAtTheSeam) {
  constexpr int kHistory = 20000;
  store_.Add(Quote(kAapl, T("2025-03-10T13:30:00Z"), 999999));  // older than the 1 h buffer
  auto history = StoreQuotes(1, kHistory, T("2025-03-10T14:10:00Z"));
  StartServer();
  service_->start_seq = history.back().arrival_seq;

  // The writer goes on while the client connects: ticks stored after the
  // subscription started reach it live (and are in the files too).
  std::uint64_t next_id = kHistory + 1;
  auto arrive = [&](const std::shared_ptr<daemon::LiveSubscription>& sub, int n) {
    for (const Tick& t : StoreQuotes(next_id, n, T("2025-03-10T14:59:00Z") + next_id)) sub->Push(t);
    next_id += n;
  };
  service_->on_subscribe = [&](const std::shared_ptr<daemon::LiveSubscription>& sub) {
    arrive(sub, 10);            // between subscribe and the history query
    sub->Push(history.back());  // at the seam: already in the files, must not repeat
  };
  SseReader r(server_->port(), "/v2/stream/265598/with-buffer?tick_types=bid_ask&buffer_duration=1h");
  ASSERT_TRUE(service_->WaitSubscribed(1));
  ASSERT_TRUE(r.WaitFor([](const auto& e) { return !e.empty(); }));
  arrive(service_->Subscriptions().front(), 10);  // while the history is being replayed (or right after)
  ASSERT_TRUE(r.WaitFor([](const auto& e) { return CountOf(e, "tick") >= kHistory + 20; })) << r.Events().size();

  const auto events = r.Events();
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events[0].event, "info");
  EXPECT_EQ(events[0].data["data"]["status"], "buffer_start");
  EXPECT_EQ(events[0].data["data"]["buffer_message_count"], kHistory);
  EXPECT_EQ(events[0].data["data"]["buffer_duration"], "1h");
  std::vector<SseEvent> replayed(events.begin() + 1, events.begin() + 1 + kHistory);
  EXPECT_EQ(Ids(replayed), Range(1, kHistory));
  for (const auto& e : replayed) ASSERT_EQ(e.data["metadata"]["historical"], true);
  ASSERT_GT(events.size(), static_cast<std::size_t>(kHistory + 2));
  EXPECT_EQ(events[kHistory + 1].data["data"]["status"], "buffer_complete");
  EXPECT_EQ(events[kHistory + 1].data["data"]["buffer_message_count"], kHistory);
  EXPECT_EQ(events[kHistory + 2].data["data"]["status"], "live_start");
  std::vector<SseEvent> live = OfType(std::vector<SseEvent>(events.begin() + kHistory + 3, events.end()), "tick");
  EXPECT_EQ(Ids(live), Range(kHistory + 1, kHistory + 20));
  for (const auto& e : live) EXPECT_FALSE(e.data.contains("metadata"));

  std::multiset<std::uint64_t> all;
  for (const auto& e : OfType(events, "tick")) all.insert(e.data["data"]["sequence"].get<std::uint64_t>());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kHistory + 20));
  EXPECT_EQ(std::set<std::uint64_t>(all.begin(), all.end()).size(), all.size()) << "a tick was repeated";
  EXPECT_EQ(all.count(999999), 0u);
}

TEST_F(WithBufferTest, LimitKeepsTheNewestBufferedTicks) {
  auto history = StoreQuotes(1, 50, T("2025-03-10T14:30:00Z"));
  StartServer();
  service_->start_seq = history.back().arrival_seq;
  SseReader r(server_->port(), "/v2/stream/265598/with-buffer?tick_types=bid_ask&limit=5");
  ASSERT_TRUE(r.WaitFor([](const auto& e) {
    for (const auto& x : e) {
      if (x.event == "info" && x.data["data"]["status"] == "live_start") return true;
    }
    return false;
  }));
  const auto events = r.Events();
  EXPECT_EQ(events[0].data["data"]["buffer_message_count"], 5);
  EXPECT_EQ(events[0].data["data"]["buffer_duration"], "2h");  // AAPL's buffer_hours
  EXPECT_EQ(Ids(OfType(events, "tick")), Range(46, 50));
}

TEST_F(WithBufferTest, BadParametersAre400AndNothingIsSubscribed) {
  StartServer();
  auto j = GetJson("/v2/stream/265598/with-buffer?buffer_duration=an_hour", 400);
  EXPECT_NE(j["error"].get<std::string>().find("'an_hour'"), std::string::npos);
  auto u = GetJson("/v2/stream/999999/with-buffer", 404);
  EXPECT_NE(u["error"].get<std::string>().find("999999"), std::string::npos);
  EXPECT_TRUE(service_->Subscriptions().empty());
}

}  // namespace
}  // namespace ibr::http::testing
