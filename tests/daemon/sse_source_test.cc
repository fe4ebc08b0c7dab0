// SseSource against the real SseSimulatorServer on 127.0.0.1 (a free port),
// with a fake RecorderService: ticks arrive decoded; a stopped upstream is one
// disconnect, a restarted one a reconnect with ticks resuming; a quiet stream
// with heartbeats stays up while a silent one times out; contracts are
// independent; Stop is prompt in every state. Waits are bounded and end on
// events, never on the passage of time.
#include "daemon/sse_source.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>

#include "daemon/sse_fake_service.h"
#include "daemon/sse_simulator_server.h"

namespace ibr::daemon {
namespace {

using Kind = ingest::DecodeResult::Kind;
using testing::SseFakeService;

constexpr std::uint32_t kMnq = 711280073;
constexpr std::uint32_t kAapl = 265598;
constexpr TimeUs kMs = 1000;

// Log lines, kept for assertions (the source logs from its threads).
struct LogLines {
  std::mutex mu;
  std::vector<std::string> lines;
  std::function<void(const std::string&)> sink() {
    return [this](const std::string& l) {
      std::lock_guard<std::mutex> lock(mu);
      lines.push_back(l);
    };
  }
  std::size_t Count(const std::string& part) {
    std::lock_guard<std::mutex> lock(mu);
    return std::count_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(part) != std::string::npos; });
  }
};

SseSimulatorServerOptions ServerOptions(double rate, TimeUs heartbeat = 15 * kUsPerSecond) {
  SseSimulatorServerOptions o;
  o.contracts = {{kMnq, "MNQ"}, {kAapl, "AAPL"}};
  o.rate = rate;
  o.heartbeat_interval = heartbeat;
  o.max_streams = 8;  // a small pool: it starts fast even under sanitizers
  return o;
}

RecorderConfig Config(int port, std::vector<TrackedContract> tracked) {
  RecorderConfig c;
  c.upstream_url = "http://127.0.0.1:" + std::to_string(port);
  c.tracked = std::move(tracked);
  c.reconnect_delay = 50 * kMs;
  return c;
}

TrackedContract Tracked(std::uint32_t id, std::vector<TickType> types) {
  TrackedContract t;
  t.contract_id = id;
  t.tick_types = std::move(types);
  return t;
}

SseSourceOptions FastOptions(LogLines* log) {
  SseSourceOptions o;
  o.connect_timeout = 1000 * kMs;
  o.max_backoff = 200 * kMs;
  o.jitter_seed = 7;
  if (log) o.log = log->sink();
  return o;
}

TEST(SseSource, TicksArriveDecodedWithLifecycleFirst) {
  SseSimulatorServer server(ServerOptions(500), SystemClock::Instance());
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  SseFakeService service;
  LogLines log;
  auto source = MakeSseSource(Config(server.port(), {Tracked(kMnq, {TickType::kBidAsk, TickType::kLast})}),
                              SystemClock::Instance(), FastOptions(&log));
  EXPECT_EQ(source->name(), "sse");
  ASSERT_TRUE(source->Start(service).ok());
  ASSERT_TRUE(service.WaitFor([](const SseFakeService& s) { return s.Ticks(kMnq) >= 50; }));
  source->Stop();

  const auto items = service.items();
  ASSERT_GE(items.size(), 52u);
  // The server's info message per tick type comes first, then ticks only of the asked types.
  EXPECT_EQ(items[0].kind, Kind::kLifecycle);
  EXPECT_EQ(items[1].kind, Kind::kLifecycle);
  EXPECT_NE(items[0].raw.find("\"status\": \"subscribed\""), std::string::npos) << items[0].raw;
  EXPECT_EQ(items[0].contract_id, kMnq);
  const TimeUs now = SystemClock::Instance().Now();
  for (std::size_t i = 2; i < items.size(); ++i) {
    ASSERT_EQ(items[i].kind, Kind::kTick) << items[i].raw;
    EXPECT_EQ(items[i].contract_id, kMnq);
    EXPECT_TRUE(items[i].tick_type == TickType::kBidAsk || items[i].tick_type == TickType::kLast);
    EXPECT_LE(items[i].timestamp, now);  // paced in real time: nothing from the future
    EXPECT_GT(items[i].timestamp, now - 60 * kUsPerSecond);
    EXPECT_EQ(items[i].line, items[i - 1].line + 1);
  }
  EXPECT_EQ(service.Connects(kMnq), 1);
  EXPECT_EQ(service.Disconnects(kMnq), 0u);  // stopping the source is not an upstream outage
  EXPECT_EQ(log.Count("upstream 711280073 connected: http://127.0.0.1:"), 1u);
}

TEST(SseSource, UpstreamStopIsOneDisconnectAndRestartResumes) {
  auto server = std::make_unique<SseSimulatorServer>(ServerOptions(300), SystemClock::Instance());
  ASSERT_TRUE(server->Start("127.0.0.1", 0).ok());
  const int port = server->port();
  SseFakeService service;
  LogLines log;
  auto source = MakeSseSource(Config(port, {Tracked(kMnq, {TickType::kBidAsk})}), SystemClock::Instance(),
                              FastOptions(&log));
  ASSERT_TRUE(source->Start(service).ok());
  ASSERT_TRUE(service.WaitFor([](const SseFakeService& s) { return s.Ticks(kMnq) >= 10; }));

  server->Stop();
  ASSERT_TRUE(service.WaitFor([](const SseFakeService& s) { return s.Disconnects(kMnq) >= 1; }));
  const std::size_t ticks_before = service.items().size();

  // Retries against the closed port are refused; they are neither reported nor logged again.
  server = std::make_unique<SseSimulatorServer>(ServerOptions(300), SystemClock::Instance());
  ASSERT_TRUE(server->Start("127.0.0.1", port).ok()) << "port " << port;
  ASSERT_TRUE(service.WaitFor([&](const SseFakeService& s) {
    return s.Connects(kMnq) == 2 && s.Ticks(kMnq) >= ticks_before + 10;
  }));
  source->Stop();

  EXPECT_EQ(service.Disconnects(kMnq), 1u);
  EXPECT_EQ(log.Count("upstream 711280073 disconnected: "), 1u);
  EXPECT_EQ(log.Count("; retrying with backoff"), 1u);
  EXPECT_EQ(log.Count("upstream 711280073 reconnected after "), 1u);
}

TEST(SseSource, QuietStreamWithHeartbeatsStaysConnected) {
  // One tick per 100 s, a heartbeat every 20 ms, a 1 s read timeout: the
  // wait below (120 heartbeats) spans more than two read timeouts.
  SseSimulatorServer server(ServerOptions(0.01, 20 * kMs), SystemClock::Instance());
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  SseFakeService service;
  SseSourceOptions options = FastOptions(nullptr);
  options.read_timeout = 1000 * kMs;
  auto source = MakeSseSource(Config(server.port(), {Tracked(kMnq, {TickType::kLast})}), SystemClock::Instance(),
                              options);
  ASSERT_TRUE(source->Start(service).ok());
  ASSERT_TRUE(service.WaitFor([](const SseFakeService& s) { return s.Heartbeats() >= 120; }));
  source->Stop();
  EXPECT_EQ(service.Connects(kMnq), 1);
  EXPECT_EQ(service.Disconnects(kMnq), 0u);
}

TEST(SseSource, SilentStreamTimesOutAndReconnects) {
  // No heartbeats at all: the read timeout must end the connection.
  SseSimulatorServer server(ServerOptions(0.01, 0), SystemClock::Instance());
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  SseFakeService service;
  SseSourceOptions options = FastOptions(nullptr);
  options.read_timeout = 300 * kMs;
  auto source = MakeSseSource(Config(server.port(), {Tracked(kMnq, {TickType::kLast})}), SystemClock::Instance(),
                              options);
  ASSERT_TRUE(source->Start(service).ok());
  // Connected, then cut by the read timeout, then connected again.
  auto timed_out = [](const SseFakeService& s) {
    const auto causes = s.Causes(kMnq);
    return std::any_of(causes.begin(), causes.end(), [](const std::string& c) { return c.find("read timeout") != std::string::npos; });
  };
  ASSERT_TRUE(service.WaitFor([&](const SseFakeService& s) { return timed_out(s) && s.Connects(kMnq) >= 2; }));
  source->Stop();
}

TEST(SseSource, AFailingContractDoesNotStopAnother) {
  SseSimulatorServer server(ServerOptions(300), SystemClock::Instance());
  server.SetFailure(kMnq, 500);
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  SseFakeService service;
  LogLines log;
  auto source = MakeSseSource(
      Config(server.port(), {Tracked(kMnq, {TickType::kBidAsk}), Tracked(kAapl, {TickType::kBidAsk, TickType::kMidPoint})}),
      SystemClock::Instance(), FastOptions(&log));
  ASSERT_TRUE(source->Start(service).ok());
  ASSERT_TRUE(service.WaitFor([](const SseFakeService& s) { return s.Ticks(kAapl) >= 30 && s.Disconnects(kMnq) >= 1; }));
  EXPECT_EQ(service.Connects(kMnq), 0);
  EXPECT_EQ(service.Connects(kAapl), 1);
  EXPECT_EQ(service.Ticks(kMnq), 0u);
  const auto causes = service.Causes(kMnq);
  EXPECT_NE(causes[0].find("HTTP 500"), std::string::npos) << causes[0];
  EXPECT_NE(causes[0].find("simulated failure"), std::string::npos) << causes[0];  // the body is quoted

  // The failing upstream recovers: that contract connects, the other never dropped.
  server.SetFailure(kMnq, 0);
  ASSERT_TRUE(service.WaitFor([](const SseFakeService& s) { return s.Ticks(kMnq) >= 10; }));
  source->Stop();
  EXPECT_EQ(service.Connects(kMnq), 1);
  EXPECT_EQ(service.Disconnects(kMnq), 1u);
  EXPECT_EQ(service.Disconnects(kAapl), 0u);
  EXPECT_EQ(service.Count(Kind::kReject, 0), 0u);
  EXPECT_EQ(log.Count("upstream 711280073 disconnected: HTTP 500"), 1u);
  EXPECT_EQ(log.Count("upstream 711280073 reconnected after "), 1u);
}

TEST(SseSource, UnreachableUpstreamIsReportedOnceAndStopIsPromptWhileBackingOff) {
  // Take a free port, then close it: connecting is refused.
  int port = 0;
  {
    SseSimulatorServer probe(ServerOptions(1), SystemClock::Instance());
    ASSERT_TRUE(probe.Start("127.0.0.1", 0).ok());
    port = probe.port();
  }
  SseFakeService service;
  RecorderConfig config = Config(port, {Tracked(kMnq, {})});
  config.reconnect_delay = 3600 * kUsPerSecond;  // Stop must cut this wait short
  SseSourceOptions options = FastOptions(nullptr);
  options.max_backoff = 3600 * kUsPerSecond;
  options.jitter_seed = 0;
  auto source = MakeSseSource(config, SystemClock::Instance(), options);
  ASSERT_TRUE(source->Start(service).ok());
  ASSERT_TRUE(service.WaitFor([](const SseFakeService& s) { return s.Disconnects(kMnq) >= 1; }));
  source->Stop();  // returns at once (a hang here fails the test by its timeout)
  EXPECT_NE(service.Causes(kMnq)[0].find("cannot connect"), std::string::npos) << service.Causes(kMnq)[0];
  EXPECT_EQ(service.Connects(kMnq), 0);
}

TEST(SseSource, StopIsPromptWhileAQuietStreamIsOpen) {
  SseSimulatorServer server(ServerOptions(0.001, 0), SystemClock::Instance());  // never a byte after info
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  SseFakeService service;
  auto source = MakeSseSource(Config(server.port(), {Tracked(kMnq, {TickType::kBidAsk})}), SystemClock::Instance(),
                              FastOptions(nullptr));  // read timeout 120 s
  ASSERT_TRUE(source->Start(service).ok());
  ASSERT_TRUE(service.WaitFor([](const SseFakeService& s) { return s.Count(Kind::kLifecycle, kMnq) >= 1; }));
  source->Stop();  // client.stop() cuts the blocked read
  EXPECT_EQ(service.Disconnects(kMnq), 0u);
}

TEST(SseSource, StartRejectsABadUrlOrNothingTracked) {
  SseFakeService service;
  RecorderConfig config = Config(1, {Tracked(kMnq, {})});
  config.upstream_url = "ftp://example.com";
  auto bad_url = MakeSseSource(config, SystemClock::Instance());
  Status st = bad_url->Start(service);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("http://"), std::string::npos) << st.message();

  auto nothing = MakeSseSource(Config(1, {}), SystemClock::Instance());
  st = nothing->Start(service);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("IB_STREAM_TRACKED_CONTRACTS"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace ibr::daemon
