// WriterQueue: the bounded multi-producer, single-consumer queue in front of the writer
// thread, and its items (decoded lines; commands such as an ingest batch or a subscription).
// Data items past `capacity` are refused (the caller counts them, reason queue_full);
// commands are rare and never refused, so stream state, subscriptions and stop always
// arrive. Push from any thread; PopAll from the writer thread only.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "common/tick.h"
#include "daemon/live_subscription.h"
#include "daemon/recorder_service.h"
#include "ingest/v2_decoder.h"

namespace ibr::daemon {

struct HeartbeatItem {};

struct RejectItem {
  std::uint64_t line = 0;
  ingest::RejectReason reason = ingest::RejectReason::kBadJson;
  std::string detail;
  std::string input;  // at most the first 1 KiB (what the quarantine keeps)
};

// One decoded line.
using LineItem = std::variant<Tick, ingest::LifecycleEvent, HeartbeatItem, RejectItem>;
LineItem ToLineItem(ingest::DecodeResult&& decoded, std::uint64_t line_number, std::string_view raw_line);

struct Command {
  enum class Kind { kIngestBatch, kSubscribe, kStreamConnected, kStreamDisconnected, kBarrier, kStop };
  explicit Command(Kind k) : kind(k) {}
  Kind kind;
  std::string body;  // kIngestBatch: the NDJSON lines, decoded by the writer as it stores them
  std::promise<Result<IngestAck>> ack;                 // kIngestBatch
  std::shared_ptr<LiveSubscription> subscription;      // kSubscribe
  std::promise<Status> done;                           // kSubscribe, kBarrier, kStop
  std::uint32_t contract_id = 0;                       // kStream*
  std::string text;                                    // disconnect cause; stop reason
  bool failed = false;                                 // kStop: close the session `failed`, not `completed`
  TimeUs at = 0;                                       // when the caller saw it (kIngestBatch: its receive time)
};

using QueueItem = std::variant<Tick, ingest::LifecycleEvent, HeartbeatItem, RejectItem, std::unique_ptr<Command>>;

class WriterQueue {
 public:
  explicit WriterQueue(std::size_t capacity) : capacity_(capacity) {}

  // False (item not taken) when the queue is full. `priority` items (stream
  // lifecycle messages, rare but needed for outage accounting) may use an
  // extra eighth of the capacity.
  bool TryPush(LineItem&& item, bool priority = false);
  void PushCommand(std::unique_ptr<Command> command);
  // Appends everything queued to *out, waiting up to `wait` for a first item.
  void PopAll(std::vector<QueueItem>* out, std::chrono::milliseconds wait);

  std::size_t depth() const { return depth_.load(std::memory_order_relaxed); }
  std::size_t capacity() const { return capacity_; }

 private:
  const std::size_t capacity_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<QueueItem> items_;
  std::atomic<std::size_t> depth_{0};
};

}  // namespace ibr::daemon
