// SealPool: a queue of closed files and the worker threads that seal them.
#include "storage/seal_pool.h"

#include <algorithm>

namespace ibr::storage {

int WorkerCount(int configured) {
  if (configured > 0) return configured;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

Result<std::unique_ptr<SealPool>> SealPool::Start(const SealerOptions& options, FileSystem& fs, const Clock& clock,
                                                  const std::string& catalog_path, int workers) {
  std::unique_ptr<SealPool> pool(new SealPool());
  for (int i = 0; i < std::max(1, workers); ++i) {
    auto cat = catalog::Catalog::Open(catalog_path, catalog::Catalog::Mode::kReadWrite, clock);
    if (!cat.ok()) return cat.status().WithContext("opening a sealing worker's catalog connection");
    pool->catalogs_.push_back(std::move(cat).value());
    pool->sealers_.push_back(std::make_unique<Sealer>(options, fs, *pool->catalogs_.back()));
  }
  SealPool* raw = pool.get();
  for (auto& s : pool->sealers_) {
    Sealer* sealer = s.get();
    pool->threads_.emplace_back([raw, sealer] { raw->Run(*sealer); });
  }
  return pool;
}

SealPool::~SealPool() { Finish(); }

void SealPool::Submit(const catalog::TickFileRow& row) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(row);
  }
  cv_.notify_one();
}

void SealPool::Run(Sealer& sealer) {
  for (;;) {
    catalog::TickFileRow row;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing and nothing left
      row = std::move(queue_.front());
      queue_.pop_front();
    }
    auto r = sealer.Seal(row);
    std::lock_guard<std::mutex> lock(mu_);
    if (!r.ok()) {
      summary_.errors.push_back(row.file_path + ": " + r.status().ToString());
      continue;
    }
    summary_.dropped_bytes += r->dropped_bytes;
    (r->removed_empty ? summary_.removed_empty : summary_.sealed) += 1;
  }
}

SealSummary SealPool::Finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  std::lock_guard<std::mutex> lock(mu_);
  return summary_;
}

}  // namespace ibr::storage
