// SealPool: seals closed hour files (LZ4 HC) on `workers` threads, so compression runs beside
// the thread that parses and appends (`ib-recorder ingest`: hours are sealed while later hours
// are still being read). Each worker owns its Catalog connection (SQLite serialises the
// writers) and its Sealer. Submit/Finish from the one owning thread; workers seal in parallel.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"
#include "storage/sealer.h"
#include "storage/store.h"

namespace ibr::storage {

// The worker count IB_STREAM_WORKERS asks for: `configured` when > 0, else the
// machine's cores (at least 1).
int WorkerCount(int configured);

class SealPool {
 public:
  static Result<std::unique_ptr<SealPool>> Start(const SealerOptions& options, FileSystem& fs, const Clock& clock,
                                                 const std::string& catalog_path, int workers);
  ~SealPool();  // Finish()

  // Queues a closed `.pb` (no writer appends to it any more).
  void Submit(const catalog::TickFileRow& row);
  // Waits until everything submitted is sealed, joins the workers and returns
  // what they did (files that failed stay open: listed in errors). Idempotent.
  SealSummary Finish();

 private:
  SealPool() = default;
  void Run(Sealer& sealer);

  std::vector<std::unique_ptr<catalog::Catalog>> catalogs_;  // one per worker
  std::vector<std::unique_ptr<Sealer>> sealers_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<catalog::TickFileRow> queue_;  // under mu_
  bool closing_ = false;                    // under mu_
  SealSummary summary_;                     // under mu_
  std::vector<std::thread> threads_;
};

}  // namespace ibr::storage
