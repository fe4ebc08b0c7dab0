// Live SSE: /v2/stream/{id}[?tick_types=] and /v2/stream/{id}/{tick_type} —
// framing with the blank line, X-IB-Stream-Version, heartbeats on the clock,
// Subscribe on connect and Unsubscribe on disconnect, a dropped slow
// consumer gets an `error` event, the stream bound answers 503 while /health
// keeps answering, many streams at once, shutdown ends streams; each tick
// event's `id:` is its arrival sequence, and a client reconnecting with
// Last-Event-ID gets what it missed from storage, then live, exactly once.
#include "query/tick_json.h"

#include "http_test_support.h"
#include "raw_connection.h"

namespace ibr::http::testing {
namespace {

class LiveStreamTest : public HttpServerTest {
 protected:
  std::shared_ptr<daemon::LiveSubscription> OnlySubscription() {
    auto subs = service_->Subscriptions();
    EXPECT_EQ(subs.size(), 1u);
    return subs.empty() ? nullptr : subs.front();
  }
  static Tick Live(Tick t, std::uint64_t seq) {
    t.arrival_seq = seq;
    return t;
  }
  static bool HasEvent(const std::vector<SseEvent>& events, const std::string& type) {
    return CountOf(events, type) > 0;
  }
};

TEST_F(LiveStreamTest, TicksArriveAsSseEventsWithTheBlankLine) {
  StartServer();
  SseReader r(server_->port(), "/v2/stream/265598?tick_types=bid_ask");
  ASSERT_TRUE(service_->WaitSubscribed(1));
  ASSERT_TRUE(r.WaitEvents(1));
  EXPECT_EQ(r.WaitStatus(), 200);
  EXPECT_EQ(r.Header("X-IB-Stream-Version"), "2.0.0");
  EXPECT_EQ(r.Header("Content-Type"), "text/event-stream");
  auto info = r.Events()[0];
  EXPECT_EQ(info.event, "info");
  EXPECT_EQ(info.data["type"], "info");
  EXPECT_EQ(info.data["data"]["status"], "subscribed");
  EXPECT_EQ(info.data["data"]["stream_config"]["tick_types"], nlohmann::json({"bid_ask"}));

  auto sub = OnlySubscription();
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->contract_id(), kAapl);
  EXPECT_TRUE(sub->Wants(Quote(kAapl, 0, 0)));
  EXPECT_FALSE(sub->Wants(Trade(kAapl, 0, 0)));
  std::vector<Tick> ticks;
  for (int i = 1; i <= 3; ++i) ticks.push_back(Live(Quote(kAapl, T("2025-03-10T14:59:00Z") + i, i), i));
  for (const auto& t : ticks) sub->Push(t);
  ASSERT_TRUE(r.WaitFor([](const auto& e) { return CountOf(e, "tick") == 3; }));

  std::string expected;
  query::TickJsonWriter json;
  for (const auto& t : ticks) {
    expected += "id: " + std::to_string(t.arrival_seq) + "\nevent: tick\ndata: ";
    json.Append(expected, t);
    expected += "\n\n";
  }
  EXPECT_NE(r.Text().find(expected), std::string::npos) << r.Text();
  EXPECT_FALSE(HasEvent(r.Events(), "heartbeat")) << "the clock has not moved";

  r.Close();
  EXPECT_TRUE(AdvanceUntilUnsubscribed(1));
  EXPECT_TRUE(service_->Subscriptions().empty());
}

TEST_F(LiveStreamTest, AClientReconnectingWithLastEventIdGetsWhatItMissedThenLiveExactlyOnce) {
  const TimeUs base = T("2025-03-10T14:30:00Z");
  std::uint64_t next = 1;  // upstream sequence, names each tick
  auto store = [&](int n) {
    std::vector<Tick> ticks;
    for (int i = 0; i < n; ++i, ++next) ticks.push_back(Quote(kAapl, base + static_cast<TimeUs>(next) * 1000, next));
    return store_.Add(std::move(ticks));
  };
  std::vector<Tick> before = store(300);  // stored before the first connection
  StartServer();
  service_->start_seq = before.back().arrival_seq;

  // First connection: live ticks 301..320 (stored as they arrive, as the writer does).
  auto first = std::make_unique<SseReader>(server_->port(), "/v2/stream/265598?tick_types=bid_ask");
  ASSERT_TRUE(service_->WaitSubscribed(1));
  ASSERT_TRUE(first->WaitEvents(1));
  for (const Tick& t : store(20)) OnlySubscription()->Push(t);
  ASSERT_TRUE(first->WaitFor([](const auto& e) { return CountOf(e, "tick") == 20; }));
  std::vector<SseEvent> got = OfType(first->Events(), "tick");
  for (const SseEvent& e : got) EXPECT_EQ(e.id, std::to_string(e.data["data"]["sequence"].get<std::uint64_t>() +
                                                                before.back().arrival_seq - 300));
  // The client drops after the 10th live tick it processed.
  got.resize(10);
  const std::string last_id = got.back().id;
  first->Close();
  first.reset();
  ASSERT_TRUE(AdvanceUntilUnsubscribed(1));

  // While it is away: 80 more ticks stored. It reconnects; more arrive live,
  // including the one at the new subscription's seam (already in the files).
  std::vector<Tick> away = store(80);
  service_->start_seq = away.back().arrival_seq;
  std::vector<Tick> after;
  service_->on_subscribe = [&](const std::shared_ptr<daemon::LiveSubscription>& sub) {
    sub->Push(away.back());
    after = store(10);
    for (const Tick& t : after) sub->Push(t);
  };
  SseReader second(server_->port(), "/v2/stream/265598?tick_types=bid_ask", {{"Last-Event-ID", last_id}});
  ASSERT_TRUE(second.WaitFor([](const auto& e) { return CountOf(e, "tick") >= 100; })) << second.Text().substr(0, 400);
  const auto events = second.Events();
  EXPECT_EQ(events[0].data["data"]["status"], "subscribed");
  EXPECT_EQ(events[0].data["data"]["resume_after"].dump(), last_id);
  std::size_t resumed_at = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].event == "info" && events[i].data["data"]["status"] == "resumed") resumed_at = i;
  }
  ASSERT_GT(resumed_at, 0u);
  EXPECT_EQ(events[resumed_at].data["data"]["replayed_ticks"], 90);  // 311..320 and the 80 stored away
  for (const SseEvent& e : OfType(events, "tick")) got.push_back(e);

  // What the client processed, over both connections: every tick once, in order.
  std::vector<std::uint64_t> seqs, expected;
  for (const SseEvent& e : got) seqs.push_back(e.data["data"]["sequence"].get<std::uint64_t>());
  for (std::uint64_t i = 301; i <= 410; ++i) expected.push_back(i);
  EXPECT_EQ(seqs, expected);
  for (const SseEvent& e : got) EXPECT_FALSE(e.id.empty());
  // The ticks before the resume info came from storage, the rest live.
  EXPECT_EQ(CountOf(std::vector<SseEvent>(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(resumed_at)),
                    "tick"),
            90u);
}

TEST_F(LiveStreamTest, ABadLastEventIdIs400NamingIt) {
  StartServer();
  httplib::Client c("127.0.0.1", server_->port());
  auto r = c.Get("/v2/stream/265598", {{"Last-Event-ID", "abc"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("Last-Event-ID \\\"abc\\\""), std::string::npos) << r->body;
  EXPECT_TRUE(service_->Subscriptions().empty());
}

TEST_F(LiveStreamTest, HeartbeatsFollowTheClock) {
  StartServer();
  SseReader r(server_->port(), "/v2/stream/265598");
  ASSERT_TRUE(service_->WaitSubscribed(1));
  ASSERT_TRUE(r.WaitEvents(1));
  clock_.Advance(15 * kUsPerSecond);
  ASSERT_TRUE(r.WaitFor([](const auto& e) { return HasEvent(e, "heartbeat"); }));
  auto hb = OfType(r.Events(), "heartbeat")[0];
  EXPECT_EQ(hb.data["type"], "heartbeat");
  EXPECT_EQ(hb.data["timestamp"], "2025-03-10T15:00:15.000000Z");
}

TEST_F(LiveStreamTest, TickTypeInThePath) {
  StartServer();
  SseReader r(server_->port(), "/v2/stream/265598/last");
  ASSERT_TRUE(service_->WaitSubscribed(1));
  auto sub = OnlySubscription();
  ASSERT_TRUE(sub);
  EXPECT_TRUE(sub->Wants(Trade(kAapl, 0, 0)));
  EXPECT_FALSE(sub->Wants(Quote(kAapl, 0, 0)));
  auto bad = GetJson("/v2/stream/265598/quotes", 400);
  EXPECT_NE(bad["error"].get<std::string>().find("'quotes'"), std::string::npos);
  auto bad_list = GetJson("/v2/stream/265598?tick_types=bid_ask,trades", 400);
  EXPECT_NE(bad_list["error"].get<std::string>().find("'bid_ask,trades'"), std::string::npos);
}

TEST_F(LiveStreamTest, UnknownContractIs404AndTrackedWithoutFilesStreams) {
  StartServer();
  auto j = GetJson("/v2/stream/999999", 404);
  EXPECT_NE(j["error"].get<std::string>().find("999999"), std::string::npos);
  SseReader r(server_->port(), "/v2/stream/711280073");
  EXPECT_TRUE(service_->WaitSubscribed(1));
  EXPECT_EQ(r.WaitStatus(), 200);
}

TEST_F(LiveStreamTest, RefusedSubscriptionIs503) {
  StartServer();
  service_->refuse_subscribe = true;
  auto j = GetJson("/v2/stream/265598", 503);
  EXPECT_NE(j["error"].get<std::string>().find("stopping"), std::string::npos);
}

TEST_F(LiveStreamTest, ADroppedSlowConsumerGetsAnErrorEventAndTheStreamEnds) {
  StartServer();
  SseReader r(server_->port(), "/v2/stream/265598");
  ASSERT_TRUE(service_->WaitSubscribed(1));
  ASSERT_TRUE(r.WaitEvents(1));
  auto sub = OnlySubscription();
  ASSERT_TRUE(sub);
  // What the subscription does itself when its queue overflows (daemon tests cover the overflow).
  sub->Close("slow consumer: fell more than 4 ticks behind the live stream");
  ASSERT_TRUE(r.WaitEnded());
  auto errors = OfType(r.Events(), "error");
  ASSERT_EQ(errors.size(), 1u) << r.Text();
  EXPECT_EQ(errors[0].data["data"]["code"], "STREAM_ERROR");
  EXPECT_NE(errors[0].data["data"]["details"]["reason"].get<std::string>().find("slow consumer"), std::string::npos);
  EXPECT_TRUE(service_->WaitUnsubscribed(1));
}

TEST_F(LiveStreamTest, StreamsPastTheBoundGet503WhileHealthAnswers) {
  HttpServerOptions o = TestOptions();
  o.max_live_streams = 2;
  o.threads = 10;
  StartServer(DefaultConfig(store_.root()), o);
  auto a = std::make_unique<SseReader>(server_->port(), "/v2/stream/265598");
  SseReader b(server_->port(), "/v2/stream/265598");
  ASSERT_TRUE(service_->WaitSubscribed(2));
  auto over = GetJson("/v2/stream/265598", 503);
  EXPECT_NE(over["error"].get<std::string>().find("too many live streams"), std::string::npos) << over.dump();
  auto over_wb = GetJson("/v2/stream/265598/with-buffer", 503);
  EXPECT_EQ(over_wb["reason"], "stream_limit");
  EXPECT_EQ(GetJson("/health")["status"], "ok");
  // A stream that ends gives its place back.
  a->Close();
  ASSERT_TRUE(AdvanceUntilUnsubscribed(1));
  SseReader c(server_->port(), "/v2/stream/265598");
  EXPECT_TRUE(service_->WaitSubscribed(3));
  EXPECT_EQ(c.WaitStatus(), 200);
}

TEST_F(LiveStreamTest, ManyConcurrentStreamsWhileTheApiKeepsAnswering) {
  StartServer();  // default bound: 32 streams on 64 threads
  constexpr int kStreams = 12;
  std::vector<std::unique_ptr<SseReader>> readers;
  for (int i = 0; i < kStreams; ++i) {
    readers.push_back(std::make_unique<SseReader>(
        server_->port(), i % 2 == 0 ? "/v2/stream/265598" : "/v2/stream/265598/with-buffer?buffer_duration=1h"));
  }
  ASSERT_TRUE(service_->WaitSubscribed(kStreams));
  for (auto& r : readers) ASSERT_TRUE(r->WaitEvents(1));
  EXPECT_EQ(GetJson("/health")["status"], "ok");
  auto hist = GetJson("/v2/historical/265598/relative");
  EXPECT_EQ(hist["count"], 0);
  auto metrics = Client()->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("ib_recorder_http_live_streams 12\n"), std::string::npos);
  for (auto& sub : service_->Subscriptions()) sub->Push(Live(Quote(kAapl, T("2025-03-10T14:59:59Z"), 77), 1));
  for (auto& r : readers) {
    EXPECT_TRUE(r->WaitFor([](const auto& e) { return CountOf(e, "tick") == 1; }));
  }
}

// Issue 10 item 12: a client that closes a quiet stream frees its slot at
// once, not at the next heartbeat (the clock never moves here: no heartbeat).
TEST_F(LiveStreamTest, AClosedQuietStreamFreesItsSlotWithoutWaitingForAHeartbeat) {
  HttpServerOptions o = TestOptions();
  o.max_live_streams = 1;
  o.threads = 10;
  StartServer(DefaultConfig(store_.root()), o);
  {
    RawConnection c(server_->port());
    ASSERT_TRUE(c.Send("GET /v2/stream/265598 HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(service_->WaitSubscribed(1));
    ASSERT_NE(c.Read(20'000, "event: info").find("event: info"), std::string::npos);
  }  // closed
  EXPECT_TRUE(service_->WaitUnsubscribed(1)) << "the closed stream still holds its slot";
  SseReader next(server_->port(), "/v2/stream/265598");
  EXPECT_EQ(next.WaitStatus(), 200);
}

TEST_F(LiveStreamTest, StoppingTheServerEndsStreamsWithACompleteEvent) {
  StartServer();
  SseReader r(server_->port(), "/v2/stream/265598");
  ASSERT_TRUE(service_->WaitSubscribed(1));
  ASSERT_TRUE(r.WaitEvents(1));
  server_->Stop();
  ASSERT_TRUE(r.WaitEnded());
  auto complete = OfType(r.Events(), "complete");
  ASSERT_EQ(complete.size(), 1u) << r.Text();
  EXPECT_EQ(complete[0].data["data"]["reason"], "server_shutdown");
  EXPECT_EQ(service_->unsubscribed(), 1u);
}

}  // namespace
}  // namespace ibr::http::testing
