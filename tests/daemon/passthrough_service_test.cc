// PassthroughService against the real SseSimulatorServer on 127.0.0.1: clients of one contract
// share one upstream connection (opened by the first, widened for a new tick type, closed with the
// last); ticks reach each client filtered by its types with sequences above the relay base; the
// storage root is never created; ingest is refused; Status says passthrough. Waits end on events
// (a tick popped, a counter reached) within a deadline, never on the passage of time.
#include "daemon/passthrough_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "daemon/sse_simulator_server.h"
#include "storage/storage_test_util.h"

namespace ibr::daemon {
namespace {

constexpr std::uint32_t kPtMnq = 711280073;
constexpr std::uint32_t kPtAapl = 265598;

SseSimulatorServerOptions PtServerOptions() {
  SseSimulatorServerOptions o;
  o.contracts = {{kPtMnq, "MNQ"}, {kPtAapl, "AAPL"}};
  o.rate = 400;
  o.max_streams = 8;
  return o;
}

RecorderConfig PtConfig(int port, const std::string& root) {
  RecorderConfig c;
  c.upstream_url = "http://127.0.0.1:" + std::to_string(port);
  c.storage_path = root;
  c.mode = RecorderMode::kPassthrough;
  c.read_only = true;
  c.reconnect_delay = 50'000;
  return c;
}

SseSourceOptions PtSourceOptions() {
  SseSourceOptions o;
  o.connect_timeout = kUsPerSecond;
  o.max_backoff = 200'000;
  o.jitter_seed = 3;
  o.log = [](const std::string&) {};
  return o;
}

// Pops until `n` ticks came (deadline 30 s); returns them.
std::vector<Tick> PopTicks(LiveSubscription& sub, std::size_t n) {
  std::vector<Tick> out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (out.size() < n && std::chrono::steady_clock::now() < deadline && !sub.closed()) {
    if (auto t = sub.Pop(100)) out.push_back(*t);
  }
  return out;
}

// Polls `cond` until it holds or 30 s passed.
template <typename F>
bool Eventually(F cond) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!cond()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

TEST(PassthroughService, ClientsOfOneContractShareOneUpstreamConnection) {
  SseSimulatorServer server(PtServerOptions(), SystemClock::Instance());
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  ibr::testing::TempDir dir;
  const std::string root = dir.path() + "/absent/store";
  auto svc = PassthroughService::Open(PtConfig(server.port(), root), PosixFileSystem::Instance(),
                                      SystemClock::Instance(), PtSourceOptions());
  ASSERT_TRUE(svc.ok()) << svc.status().ToString();
  PassthroughService& pt = **svc;

  auto a = pt.Subscribe(kPtMnq, {TickType::kBidAsk, TickType::kLast});
  auto b = pt.Subscribe(kPtMnq, {TickType::kBidAsk});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(pt.open_relays(), 1u);
  std::vector<Tick> ta = PopTicks(**a, 20);
  std::vector<Tick> tb = PopTicks(**b, 10);
  ASSERT_EQ(ta.size(), 20u);
  ASSERT_EQ(tb.size(), 10u);
  for (const Tick& t : ta) {
    EXPECT_EQ(t.contract_id, kPtMnq);
    EXPECT_GT(t.arrival_seq, PassthroughService::kRelaySeqBase);  // above the seam: live, not history
  }
  for (const Tick& t : tb) EXPECT_EQ(t.tick_type, TickType::kBidAsk);
  EXPECT_EQ(server.streams_opened(), 1u) << "two clients of one contract must share one upstream connection";

  // A tick type the open connection lacks: reopened once with the union, still one relay.
  auto c = pt.Subscribe(kPtMnq, {TickType::kMidPoint});
  ASSERT_TRUE(c.ok());
  ASSERT_FALSE(PopTicks(**c, 1).empty());
  EXPECT_EQ(server.streams_opened(), 2u);
  EXPECT_EQ(pt.open_relays(), 1u);
  EXPECT_EQ(PopTicks(**a, 5).size(), 5u) << "the first client goes on after the reopen";

  // Another contract: its own connection.
  auto d = pt.Subscribe(kPtAapl, {TickType::kLast});
  ASSERT_TRUE(d.ok());
  ASSERT_FALSE(PopTicks(**d, 1).empty());
  EXPECT_EQ(pt.open_relays(), 2u);

  RecorderStatus s = pt.Status();
  EXPECT_EQ(s.mode, "passthrough");
  EXPECT_TRUE(s.read_only);
  EXPECT_EQ(s.relays_open, 2u);
  EXPECT_EQ(s.live_subscribers, 4u);
  EXPECT_GT(s.ticks_relayed, 0u);
  EXPECT_EQ(s.ticks_stored, 0u);
  EXPECT_NE(s.last_error.find(root + " does not exist"), std::string::npos) << s.last_error;

  // The last client of a contract closes its upstream connection.
  pt.Unsubscribe(*a);
  pt.Unsubscribe(*b);
  EXPECT_EQ(pt.open_relays(), 2u);
  pt.Unsubscribe(*c);
  EXPECT_EQ(pt.open_relays(), 1u);
  pt.Unsubscribe(*d);
  EXPECT_EQ(pt.open_relays(), 0u);
  EXPECT_TRUE(Eventually([&] { return server.open_streams() == 0; })) << server.open_streams();

  auto ack = pt.IngestBatch("{}\n");
  ASSERT_FALSE(ack.ok());
  EXPECT_EQ(ack.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(ack.status().message().find("passthrough"), std::string::npos);

  pt.Stop("test");
  EXPECT_FALSE(pt.Subscribe(kPtMnq, {}).ok());
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/absent")) << "passthrough must not create its storage root";
}

TEST(PassthroughService, StopEndsOpenClientsAndUpstreams) {
  SseSimulatorServer server(PtServerOptions(), SystemClock::Instance());
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  ibr::testing::TempDir dir;
  auto svc = PassthroughService::Open(PtConfig(server.port(), dir.path() + "/none"), PosixFileSystem::Instance(),
                                      SystemClock::Instance(), PtSourceOptions());
  ASSERT_TRUE(svc.ok());
  auto a = (*svc)->Subscribe(kPtMnq, {});
  ASSERT_TRUE(a.ok());
  ASSERT_FALSE(PopTicks(**a, 1).empty());
  (*svc)->Stop("test");
  EXPECT_TRUE((*a)->closed());
  EXPECT_EQ((*svc)->open_relays(), 0u);
  EXPECT_TRUE(Eventually([&] { return server.open_streams() == 0; }));
  (*svc)->Unsubscribe(*a);  // after Stop: harmless
}

TEST(PassthroughService, RefusesAnUpstreamThatIsNotHttp) {
  RecorderConfig c = PtConfig(1, "/nonexistent-root");
  c.upstream_url = "ftp://example";
  auto svc = PassthroughService::Open(c, PosixFileSystem::Instance(), SystemClock::Instance());
  ASSERT_FALSE(svc.ok());
  EXPECT_NE(svc.status().message().find("ftp://example"), std::string::npos);
}

}  // namespace
}  // namespace ibr::daemon
