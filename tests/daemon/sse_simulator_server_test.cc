// SseSimulatorServer seen from a plain HTTP client: headers, the ib-stream
// framing (no blank line between events, ", " / ": " separators), info first,
// tick types filtered, both stream paths, heartbeats, errors, the stream
// bound, and a Stop that ends open streams.
#include "daemon/sse_simulator_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "daemon/sse_parser.h"
#include "ingest/v2_decoder.h"

namespace ibr::daemon {
namespace {

constexpr std::uint32_t kServedMnq = 711280073;
constexpr TimeUs kServedMs = 1000;

SseSimulatorServerOptions Options(double rate, TimeUs heartbeat = 15 * kUsPerSecond) {
  SseSimulatorServerOptions o;
  o.contracts = {{kServedMnq, "MNQ"}};
  o.rate = rate;
  o.heartbeat_interval = heartbeat;
  return o;
}

struct Capture {
  int status = 0;
  httplib::Headers headers;
  std::string body;
  std::vector<SseEvent> events;
};

// Reads `path` until `enough(capture)` holds, then hangs up.
Capture Read(int port, const std::string& path, const std::function<bool(const Capture&)>& enough) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10, 0);
  Capture c;
  SseParser parser;
  const SseParser::Sink sink = [&](const SseEvent& e) { c.events.push_back(e); };
  client.Get(
      path,
      [&](const httplib::Response& r) {
        c.status = r.status;
        c.headers = r.headers;
        return true;
      },
      [&](const char* data, std::size_t n) {
        c.body.append(data, n);
        if (c.status == 200) {
          parser.Feed(std::string_view(data, n), sink);
          parser.DispatchIfWholeJson(sink);
        }
        return !enough(c);
      });
  return c;
}

TEST(SseSimulatorServer, StreamsTheIbStreamFraming) {
  SseSimulatorServer server(Options(1000), SystemClock::Instance());
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  const Capture c = Read(server.port(), "/v2/stream/711280073?tick_types=bid_ask,mid_point",
                         [](const Capture& c) { return c.events.size() >= 100; });
  ASSERT_EQ(c.status, 200);
  ASSERT_EQ(c.headers.count("X-IB-Stream-Version"), 1u);
  EXPECT_EQ(c.headers.find("X-IB-Stream-Version")->second, "2.0.0");
  ASSERT_EQ(c.headers.count("Content-Type"), 1u);
  EXPECT_EQ(c.headers.find("Content-Type")->second, "text/event-stream");

  // No blank line anywhere, every line an event or data line.
  EXPECT_EQ(c.body.find("\n\n"), std::string::npos);
  EXPECT_EQ(c.body.rfind("event: info\ndata: {\"type\": \"info\", ", 0), 0u) << c.body.substr(0, 200);

  ingest::V2Decoder decoder;
  std::set<TickType> seen;
  ASSERT_GE(c.events.size(), 100u);
  for (std::size_t i = 0; i < c.events.size(); ++i) {
    const SseEvent& e = c.events[i];
    EXPECT_EQ(e.event, i < 2 ? "info" : "tick") << i;
    // json.dumps separators: a space after every structural ',' and ':'.
    EXPECT_EQ(e.data.find("\",\""), std::string::npos) << e.data;
    EXPECT_EQ(e.data.find("\":\""), std::string::npos) << e.data;
    EXPECT_EQ(e.data.find("\":{"), std::string::npos) << e.data;
    const auto r = decoder.Decode(e.data, SystemClock::Instance().Now());
    if (i < 2) {
      ASSERT_EQ(r.kind, ingest::DecodeResult::Kind::kLifecycle) << e.data;
      EXPECT_EQ(r.lifecycle.code, "subscribed");
      EXPECT_EQ(r.lifecycle.contract_id, kServedMnq);
      EXPECT_NE(e.data.find("\"contract_info\": {\"symbol\": \"MNQ\""), std::string::npos) << e.data;
      EXPECT_NE(e.data.find("\"stream_config\": {\"tick_type\": "), std::string::npos) << e.data;
    } else {
      ASSERT_EQ(r.kind, ingest::DecodeResult::Kind::kTick) << e.data << " " << r.detail;
      EXPECT_EQ(r.tick.contract_id, kServedMnq);
      seen.insert(r.tick.tick_type);
    }
  }
  EXPECT_EQ(seen, (std::set<TickType>{TickType::kBidAsk, TickType::kMidPoint}));
  server.Stop();
  EXPECT_GE(server.ticks_sent(), 98u);
}

TEST(SseSimulatorServer, TickTypeInThePath) {
  SseSimulatorServer server(Options(1000), SystemClock::Instance());
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  // An id not in --contracts is served too (stock-like).
  const Capture c = Read(server.port(), "/v2/stream/265598/last", [](const Capture& c) { return c.events.size() >= 20; });
  ASSERT_EQ(c.status, 200);
  ingest::V2Decoder decoder;
  EXPECT_EQ(c.events[0].event, "info");
  for (std::size_t i = 1; i < c.events.size(); ++i) {
    const auto r = decoder.Decode(c.events[i].data, SystemClock::Instance().Now());
    ASSERT_EQ(r.kind, ingest::DecodeResult::Kind::kTick);
    EXPECT_EQ(r.tick.contract_id, 265598u);
    EXPECT_EQ(r.tick.tick_type, TickType::kLast);
  }
}

TEST(SseSimulatorServer, HeartbeatsWhenQuiet) {
  SseSimulatorServer server(Options(0.001, 20 * kServedMs), SystemClock::Instance());
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  const Capture c = Read(server.port(), "/v2/stream/711280073", [](const Capture& c) { return c.events.size() >= 5; });
  ASSERT_EQ(c.status, 200);
  ingest::V2Decoder decoder;
  EXPECT_EQ(c.events[0].event, "info");  // default tick types: bid_ask,last
  EXPECT_EQ(c.events[1].event, "info");
  for (std::size_t i = 2; i < c.events.size(); ++i) {
    EXPECT_EQ(c.events[i].event, "heartbeat");
    EXPECT_EQ(decoder.Decode(c.events[i].data, SystemClock::Instance().Now()).kind,
              ingest::DecodeResult::Kind::kHeartbeat)
        << c.events[i].data;
  }
}

TEST(SseSimulatorServer, ErrorsAndHealth) {
  SseSimulatorServerOptions o = Options(10);
  o.max_streams = 1;
  SseSimulatorServer server(o, SystemClock::Instance());
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  httplib::Client client("127.0.0.1", server.port());
  auto health = client.Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_NE(health->body.find("\"status\": \"healthy\""), std::string::npos) << health->body;

  auto bad_type = client.Get("/v2/stream/711280073?tick_types=bid_ask,quotes");
  ASSERT_TRUE(bad_type);
  EXPECT_EQ(bad_type->status, 400);
  EXPECT_NE(bad_type->body.find("quotes"), std::string::npos) << bad_type->body;
  auto bad_id = client.Get("/v2/stream/0");
  ASSERT_TRUE(bad_id);
  EXPECT_EQ(bad_id->status, 400);
  auto unknown = client.Get("/v2/nothing");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);

  server.SetFailure(kServedMnq, 503);
  auto failing = client.Get("/v2/stream/711280073");
  ASSERT_TRUE(failing);
  EXPECT_EQ(failing->status, 503);
  server.SetFailure(kServedMnq, 0);

  // One stream open (held by a thread until the server stops): the next is refused.
  std::atomic<int> first_status{0};
  std::thread holder([&] {
    httplib::Client c("127.0.0.1", server.port());
    c.Get("/v2/stream/711280073", [&](const httplib::Response& r) {
      first_status = r.status;
      return true;
    }, [](const char*, std::size_t) { return true; });
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (server.open_streams() < 1 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  ASSERT_EQ(server.open_streams(), 1);
  auto second = client.Get("/v2/stream/265598");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 503);
  EXPECT_NE(second->body.find("too many open streams"), std::string::npos);
  server.Stop();  // ends the held stream: the holder's Get returns
  holder.join();
  EXPECT_EQ(first_status.load(), 200);
  EXPECT_EQ(server.open_streams(), 0);
}

TEST(SseSimulatorServer, StartFailsOnAPortInUse) {
  SseSimulatorServer first(Options(1), SystemClock::Instance());
  ASSERT_TRUE(first.Start("127.0.0.1", 0).ok());
  SseSimulatorServer second(Options(1), SystemClock::Instance());
  const Status st = second.Start("127.0.0.1", first.port());
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find(std::to_string(first.port())), std::string::npos) << st.message();
}

TEST(AppendWireSpacedJson, SpacesStructuralSeparatorsOnly) {
  std::string out;
  AppendWireSpacedJson(out, R"({"a":1,"b":{"c":"x,y:z"},"d":[1,2],"e":"q\"," })");
  EXPECT_EQ(out, R"({"a": 1, "b": {"c": "x,y:z"}, "d": [1, 2], "e": "q\"," })");
  out.clear();
  AppendWireSpacedJson(out, R"({"a": 1, "b": 2})");  // already spaced: unchanged
  EXPECT_EQ(out, R"({"a": 1, "b": 2})");
}

}  // namespace
}  // namespace ibr::daemon
