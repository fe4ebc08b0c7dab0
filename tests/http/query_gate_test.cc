// QueryGate and QueryAdmission: at most `max` places, waiters get a place
// when one is released, a wait that times out answers 503 with Retry-After.
#include "http/query_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "http/query_admission.h"
#include "http_test_support.h"

namespace ibr::http {
namespace {

using namespace std::chrono_literals;

TEST(QueryGateTest, NeverMoreThanMaxAndReleaseFreesAPlace) {
  QueryGate gate(2, 0ms);
  auto a = gate.Acquire();
  auto b = gate.Acquire();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(gate.running(), 2u);
  EXPECT_FALSE(gate.Acquire().has_value());  // full, no waiting allowed
  a.reset();
  EXPECT_EQ(gate.running(), 1u);
  auto c = gate.Acquire();
  EXPECT_TRUE(c.has_value());
  EXPECT_EQ(gate.running(), 2u);
}

TEST(QueryGateTest, MovedSlotReleasesOnce) {
  QueryGate gate(1, 0ms);
  {
    auto a = gate.Acquire();
    ASSERT_TRUE(a);
    QueryGate::Slot moved = std::move(*a);
    a.reset();  // the moved-from slot holds nothing
    EXPECT_EQ(gate.running(), 1u);
  }
  EXPECT_EQ(gate.running(), 0u);
  EXPECT_TRUE(gate.Acquire().has_value());
}

TEST(QueryGateTest, AWaiterGetsThePlaceWhenItIsReleased) {
  QueryGate gate(1, std::chrono::milliseconds(60'000));  // long enough never to time out here
  auto held = gate.Acquire();
  ASSERT_TRUE(held);
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    auto s = gate.Acquire();
    got = s.has_value();
  });
  while (gate.waiting() == 0) std::this_thread::yield();
  EXPECT_FALSE(got.load());
  held.reset();
  waiter.join();
  EXPECT_TRUE(got.load());
  EXPECT_EQ(gate.running(), 0u);
  EXPECT_EQ(gate.waiting(), 0u);
}

TEST(QueryGateTest, ZeroMaxMeansOne) {
  QueryGate gate(0, 0ms);
  EXPECT_EQ(gate.max(), 1u);
  auto a = gate.Acquire();
  EXPECT_TRUE(a.has_value());
  EXPECT_FALSE(gate.Acquire().has_value());
}

TEST(QueryAdmissionTest, NoPlaceIs503WithRetryAfterAndAReason) {
  ManualClock clock(testing::T("2025-03-10T15:00:00Z"));
  testing::FakeRecorderService service("/nonexistent", testing::DefaultConfig("/nonexistent"));
  HttpServerOptions options;
  StreamLimiter streams(1);
  QueryGate gate(1, 0ms);
  std::atomic<bool> stopping{false};
  ApiContext ctx{service, clock, PosixFileSystem::Instance(), options, streams, gate, stopping};

  httplib::Response first;
  auto slot = AdmitQuery(ctx, first);
  ASSERT_NE(slot, nullptr);
  EXPECT_TRUE(first.body.empty());  // admitted: nothing answered yet

  httplib::Response second;
  EXPECT_EQ(AdmitQuery(ctx, second), nullptr);
  EXPECT_EQ(second.status, 503);
  EXPECT_EQ(second.get_header_value("Retry-After"), "1");
  auto body = nlohmann::json::parse(second.body);
  EXPECT_NE(body["error"].get<std::string>().find("IB_STREAM_MAX_CONCURRENT_QUERIES"), std::string::npos) << second.body;

  slot.reset();
  httplib::Response third;
  EXPECT_NE(AdmitQuery(ctx, third), nullptr);
}

}  // namespace
}  // namespace ibr::http
