// Live SSE: /v2/stream/{id}[?tick_types=] and /v2/stream/{id}/{tick_type} —
// framing with the blank line, X-IB-Stream-Version, heartbeats on the clock,
// Subscribe on connect and Unsubscribe on disconnect, a dropped slow
// consumer gets an `error` event, the stream bound answers 503 while /health
// keeps answering, many streams at once, shutdown ends streams.
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
    expected += "event: tick\ndata: ";
    json.Append(expected, t);
    expected += "\n\n";
  }
  EXPECT_NE(r.Text().find(expected), std::string::npos) << r.Text();
  EXPECT_FALSE(HasEvent(r.Events(), "heartbeat")) << "the clock has not moved";

  r.Close();
  EXPECT_TRUE(AdvanceUntilUnsubscribed(1));
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
