// WriterQueue: the bound on data items, headroom for lifecycle messages,
// commands never refused, FIFO order, PopAll taking everything.
#include "daemon/writer_queue.h"

#include <gtest/gtest.h>

namespace ibr::daemon {
namespace {

Tick TickAt(TimeUs t) {
  Tick k;
  k.timestamp_us = t;
  k.contract_id = 1;
  return k;
}

TEST(WriterQueueTest, RefusesDataPastCapacityButNeverCommands) {
  WriterQueue q(16);
  for (int i = 0; i < 16; ++i) EXPECT_TRUE(q.TryPush(TickAt(i)));
  EXPECT_FALSE(q.TryPush(TickAt(99)));
  EXPECT_FALSE(q.TryPush(HeartbeatItem{}));
  // Lifecycle messages may use an extra eighth (2 here).
  EXPECT_TRUE(q.TryPush(ingest::LifecycleEvent{}, true));
  EXPECT_TRUE(q.TryPush(ingest::LifecycleEvent{}, true));
  EXPECT_FALSE(q.TryPush(ingest::LifecycleEvent{}, true));
  q.PushCommand(std::make_unique<Command>(Command::Kind::kBarrier));
  EXPECT_EQ(q.depth(), 19u);

  std::vector<QueueItem> out;
  q.PopAll(&out, std::chrono::milliseconds(0));
  ASSERT_EQ(out.size(), 19u);
  EXPECT_EQ(q.depth(), 0u);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(std::get<Tick>(out[static_cast<std::size_t>(i)]).timestamp_us, i);
  EXPECT_TRUE(std::holds_alternative<std::unique_ptr<Command>>(out.back()));
  // Room again.
  EXPECT_TRUE(q.TryPush(TickAt(100)));
  q.PopAll(&out, std::chrono::milliseconds(0));  // appends
  ASSERT_EQ(out.size(), 20u);
  EXPECT_EQ(std::get<Tick>(out.back()).timestamp_us, 100);
}

TEST(WriterQueueTest, PopAllWaitsForAFirstItemOrTheTimeout) {
  WriterQueue q(4);
  std::vector<QueueItem> out;
  q.PopAll(&out, std::chrono::milliseconds(1));
  EXPECT_TRUE(out.empty());
  std::thread producer([&] { q.TryPush(TickAt(7)); });
  while (out.empty()) q.PopAll(&out, std::chrono::milliseconds(100));
  producer.join();
  EXPECT_EQ(std::get<Tick>(out[0]).timestamp_us, 7);
}

TEST(WriterQueueTest, ToLineItemKeepsWhatEachKindNeeds) {
  ingest::DecodeResult r;
  r.kind = ingest::DecodeResult::Kind::kReject;
  r.reason = ingest::RejectReason::kNotObject;
  r.detail = "array";
  std::string raw(2000, 'a');
  LineItem li = ToLineItem(std::move(r), 42, raw);
  const auto& rej = std::get<RejectItem>(li);
  EXPECT_EQ(rej.line, 42u);
  EXPECT_EQ(rej.reason, ingest::RejectReason::kNotObject);
  EXPECT_EQ(rej.detail, "array");
  EXPECT_EQ(rej.input.size(), 1024u);  // the quarantine keeps the first 1 KiB

  ingest::DecodeResult l;
  l.kind = ingest::DecodeResult::Kind::kLifecycle;
  l.lifecycle.type = "error";
  LineItem ll = ToLineItem(std::move(l), 1, "{raw}");
  EXPECT_EQ(std::get<ingest::LifecycleEvent>(ll).raw, "{raw}");

  ingest::DecodeResult h;
  h.kind = ingest::DecodeResult::Kind::kHeartbeat;
  EXPECT_TRUE(std::holds_alternative<HeartbeatItem>(ToLineItem(std::move(h), 1, "")));
}

}  // namespace
}  // namespace ibr::daemon
