// SealScheduler: which closed hour files get sealed, and when — the writer's sealing part. Owns
// the BackgroundSealer (its thread seals), the rows closed but not yet queued (queue full, or a
// failed seal to retry), the writer-thread sealer for files an earlier run left open, and the
// session's seal counters. Writer thread only (the BackgroundSealer's queue is its own lock).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "daemon/background_sealer.h"
#include "storage/partition_writer.h"
#include "storage/sealer.h"

namespace ibr::daemon {

class SealScheduler {
 public:
  using LogFn = std::function<void(const std::string&)>;

  static Result<std::unique_ptr<SealScheduler>> Start(const storage::SealerOptions& options, FileSystem& fs,
                                                      const Clock& clock, catalog::Catalog& catalog,
                                                      const std::string& catalog_path, std::size_t queue_capacity,
                                                      LogFn log);

  // Queues rows the writer closed (rows a full queue refuses wait for the next call).
  void Schedule(std::vector<catalog::TickFileRow> closed);
  // Seals, on this thread, files an earlier run left open whose hour ended by
  // `cutoff` and that `writer` does not hold. True when one was sealed.
  Result<bool> SealLeftovers(const storage::PartitionWriter& writer, TimeUs cutoff);
  // What Collect took: any outcome at all (the status changes), any file sealed.
  struct Collected {
    bool any = false;
    bool sealed = false;
  };
  // Takes the sealer thread's outcomes (logged; failures queued again when
  // `retry_failed`).
  Collected Collect(bool retry_failed);
  // Before the session closes: waits until everything due is sealed (failed
  // seals are left to the next start). True when a file was sealed meanwhile.
  bool Drain(int timeout_ms);
  bool WaitIdle(int timeout_ms) { return sealer_->WaitIdle(timeout_ms); }
  void Stop() { sealer_->Stop(); }

  std::uint64_t seals() const { return seals_; }
  std::optional<double> last_seal_seconds() const { return last_seal_seconds_; }
  std::size_t queued() const { return sealer_->queued(); }

 private:
  SealScheduler(catalog::Catalog& catalog, const Clock& clock, LogFn log)
      : catalog_(catalog), clock_(clock), log_(std::move(log)) {}
  void EnqueueWaiting();

  catalog::Catalog& catalog_;
  const Clock& clock_;
  LogFn log_;
  std::unique_ptr<BackgroundSealer> sealer_;          // its thread seals what the writer closed
  std::unique_ptr<storage::Sealer> leftover_sealer_;  // this thread: open files of an earlier run
  std::vector<catalog::TickFileRow> waiting_;         // closed, not yet queued
  std::uint64_t seals_ = 0;                           // files this session sealed
  std::optional<double> last_seal_seconds_;           // none until this session seals one
};

}  // namespace ibr::daemon
