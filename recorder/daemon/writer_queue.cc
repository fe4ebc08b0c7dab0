// WriterQueue: mutex + condition variable; the writer takes everything at once.
#include "daemon/writer_queue.h"

namespace ibr::daemon {

LineItem ToLineItem(ingest::DecodeResult&& d, std::uint64_t line_number, std::string_view raw_line) {
  using Kind = ingest::DecodeResult::Kind;
  switch (d.kind) {
    case Kind::kTick:
      return std::move(d.tick);
    case Kind::kLifecycle:
      if (d.lifecycle.raw.empty()) d.lifecycle.raw = std::string(raw_line);
      return std::move(d.lifecycle);
    case Kind::kHeartbeat:
      return HeartbeatItem{};
    case Kind::kReject:
      break;
  }
  return RejectItem{line_number, d.reason, std::move(d.detail), std::string(raw_line.substr(0, 1024))};
}

bool WriterQueue::TryPush(LineItem&& item, bool priority) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (items_.size() >= capacity_ + (priority ? capacity_ / 8 : 0)) return false;
    std::visit([&](auto&& v) { items_.emplace_back(std::move(v)); }, std::move(item));
    depth_.store(items_.size(), std::memory_order_relaxed);
  }
  cv_.notify_one();
  return true;
}

void WriterQueue::PushCommand(std::unique_ptr<Command> command) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    items_.emplace_back(std::move(command));
    depth_.store(items_.size(), std::memory_order_relaxed);
  }
  cv_.notify_one();
}

void WriterQueue::PopAll(std::vector<QueueItem>* out, std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mu_);
  if (items_.empty()) cv_.wait_for(lock, wait, [&] { return !items_.empty(); });
  if (out->empty()) {
    out->swap(items_);
  } else {
    for (auto& i : items_) out->push_back(std::move(i));
    items_.clear();
  }
  depth_.store(0, std::memory_order_relaxed);
}

}  // namespace ibr::daemon
