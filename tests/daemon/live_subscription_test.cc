// LiveSubscription: filtering, FIFO delivery, the slow-consumer bound, close.
#include "daemon/live_subscription.h"

#include <gtest/gtest.h>

#include <thread>

namespace ibr::daemon {
namespace {

Tick Make(std::uint32_t cid, TickType tt, std::uint64_t seq) {
  Tick t;
  t.contract_id = cid;
  t.tick_type = tt;
  t.arrival_seq = seq;
  return t;
}

TEST(LiveSubscriptionTest, WantsItsContractAndTickTypes) {
  LiveSubscription s(7, {TickType::kBidAsk, TickType::kLast}, 10);
  EXPECT_TRUE(s.Wants(Make(7, TickType::kBidAsk, 1)));
  EXPECT_TRUE(s.Wants(Make(7, TickType::kLast, 1)));
  EXPECT_FALSE(s.Wants(Make(7, TickType::kMidPoint, 1)));
  EXPECT_FALSE(s.Wants(Make(8, TickType::kBidAsk, 1)));
  LiveSubscription any(7, {}, 10);
  EXPECT_TRUE(any.Wants(Make(7, TickType::kAllLast, 1)));
}

TEST(LiveSubscriptionTest, DeliversInOrderAndTimesOut) {
  LiveSubscription s(7, {}, 10);
  for (std::uint64_t i = 1; i <= 3; ++i) s.Push(Make(7, TickType::kBidAsk, i));
  for (std::uint64_t i = 1; i <= 3; ++i) EXPECT_EQ(s.Pop(0)->arrival_seq, i);
  EXPECT_FALSE(s.Pop(0));
  EXPECT_FALSE(s.closed());
  std::thread writer([&] { s.Push(Make(7, TickType::kBidAsk, 9)); });
  std::optional<Tick> t;
  while (!t) t = s.Pop(100);
  writer.join();
  EXPECT_EQ(t->arrival_seq, 9u);
}

TEST(LiveSubscriptionTest, ASlowConsumerIsDroppedWithAReason) {
  LiveSubscription s(7, {}, 3);
  for (std::uint64_t i = 1; i <= 3; ++i) s.Push(Make(7, TickType::kBidAsk, i));
  EXPECT_FALSE(s.closed());
  s.Push(Make(7, TickType::kBidAsk, 4));
  EXPECT_TRUE(s.closed());
  EXPECT_NE(s.reason().find("slow consumer"), std::string::npos);
  EXPECT_FALSE(s.Pop(0));  // nothing more: the client reconnects
  s.Push(Make(7, TickType::kBidAsk, 5));
  EXPECT_FALSE(s.Pop(0));
}

TEST(LiveSubscriptionTest, CloseWakesAWaitingConsumer) {
  LiveSubscription s(7, {}, 3);
  std::thread closer([&] { s.Close("the recorder stopped"); });
  while (!s.closed()) EXPECT_FALSE(s.Pop(100));
  closer.join();
  EXPECT_EQ(s.reason(), "the recorder stopped");
  s.Close("again");
  EXPECT_EQ(s.reason(), "the recorder stopped");
}

}  // namespace
}  // namespace ibr::daemon
