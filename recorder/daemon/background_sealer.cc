// BackgroundSealer: the sealer thread and its queue.
#include "daemon/background_sealer.h"

#include <chrono>

namespace ibr::daemon {

Result<std::unique_ptr<BackgroundSealer>> BackgroundSealer::Start(storage::SealerOptions options, FileSystem& fs,
                                                                  const Clock& clock, const std::string& catalog_path,
                                                                  std::size_t capacity) {
  std::unique_ptr<BackgroundSealer> s(new BackgroundSealer(capacity, clock));
  auto cat = catalog::Catalog::Open(catalog_path, catalog::Catalog::Mode::kReadWrite, clock);
  if (!cat.ok()) return cat.status().WithContext("opening the sealer's catalog connection");
  s->catalog_ = std::move(cat).value();
  s->sealer_ = std::make_unique<storage::Sealer>(std::move(options), fs, *s->catalog_);
  BackgroundSealer* raw = s.get();
  s->thread_ = std::thread([raw] { raw->Run(); });
  return s;
}

BackgroundSealer::~BackgroundSealer() { Stop(); }

bool BackgroundSealer::Enqueue(const catalog::TickFileRow& row) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stop_ || pending_.size() >= capacity_ || !pending_.insert(KeyOf(row)).second) return false;
  queue_.push_back(row);
  cv_.notify_one();
  return true;
}

bool BackgroundSealer::Pending(const catalog::TickFileRow& row) const {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_.count(KeyOf(row)) > 0;
}

std::vector<BackgroundSealer::Outcome> BackgroundSealer::TakeOutcomes() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Outcome> out;
  out.swap(outcomes_);
  return out;
}

std::size_t BackgroundSealer::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_.size();
}

bool BackgroundSealer::WaitIdle(int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return idle_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return pending_.empty(); });
}

void BackgroundSealer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void BackgroundSealer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything queued is sealed
    catalog::TickFileRow row = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    Outcome outcome = SealOne(row);
    lock.lock();
    pending_.erase(KeyOf(row));  // after the catalog commit: a later listing sees the row sealed
    outcomes_.push_back(std::move(outcome));
    idle_cv_.notify_all();
  }
}

BackgroundSealer::Outcome BackgroundSealer::SealOne(const catalog::TickFileRow& row) {
  Outcome out;
  out.row = row;
  const std::int64_t t0 = clock_.MonotonicUs();
  // The row as committed now: a row queued from an older listing may have
  // been sealed (or removed) since; sealing it again would find no `.pb`.
  auto current = catalog_->GetTickFile(row.contract_id, row.tick_type, row.hour_bucket, row.part);
  if (!current.ok()) {
    out.status = current.status();
    return out;
  }
  if (!current->has_value() || (*current)->status != catalog::FileStatus::kOpen) return out;
  auto r = sealer_->Seal(**current);
  out.seconds = static_cast<double>(clock_.MonotonicUs() - t0) / kUsPerSecond;
  if (!r.ok()) {
    out.status = r.status();
    return out;
  }
  out.removed_empty = r->removed_empty;
  out.sealed = !r->removed_empty;
  out.dropped_bytes = r->dropped_bytes;
  out.quarantined_bytes = r->quarantined_bytes;
  return out;
}

}  // namespace ibr::daemon
