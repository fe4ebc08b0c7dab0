// BackgroundSealer: seals closed hour files (LZ4 HC) on its own thread, so a seal never stalls
// the writer thread's intake. Owns that thread, its own read-write Catalog connection, its
// storage::Sealer and a bounded queue of rows to seal (each row at most once queued or in
// progress). The writer thread calls Enqueue and TakeOutcomes; WaitIdle and Stop from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"
#include "storage/sealer.h"

namespace ibr::daemon {

class BackgroundSealer {
 public:
  // What became of one queued row (taken by the writer thread).
  struct Outcome {
    catalog::TickFileRow row;      // as queued
    ibr::Status status;            // not ok: the file stays open and is queued again later
    bool sealed = false;           // a `.pb.lz4` replaced the `.pb` (false: removed empty, or skipped)
    bool removed_empty = false;
    std::uint64_t dropped_bytes = 0;  // torn tail left out
    std::uint64_t quarantined_bytes = 0;  // damaged frames taken out, kept under quarantine/
    double seconds = 0;            // time this seal took (monotonic clock)
  };

  // Opens the catalog at `catalog_path` read-write (a second connection beside
  // the writer's; SQLite serialises the two) and starts the thread.
  static Result<std::unique_ptr<BackgroundSealer>> Start(storage::SealerOptions options, FileSystem& fs,
                                                         const Clock& clock, const std::string& catalog_path,
                                                         std::size_t capacity);
  ~BackgroundSealer();  // Stop()

  // Queues `row` (a closed `.pb` no writer appends to). False when `capacity`
  // rows are queued or in progress (the row stays open in the catalog: queue
  // it again later) or this row already is.
  bool Enqueue(const catalog::TickFileRow& row);
  bool Pending(const catalog::TickFileRow& row) const;
  std::vector<Outcome> TakeOutcomes();
  std::size_t queued() const;  // queued + in progress
  // Waits until nothing is queued or in progress; false after `timeout_ms`.
  bool WaitIdle(int timeout_ms);
  // Seals what is queued, then joins. Idempotent.
  void Stop();

 private:
  using Key = std::tuple<std::uint32_t, TickType, TimeUs, int>;
  static Key KeyOf(const catalog::TickFileRow& r) { return {r.contract_id, r.tick_type, r.hour_bucket, r.part}; }
  BackgroundSealer(std::size_t capacity, const Clock& clock) : capacity_(capacity), clock_(clock) {}
  void Run();
  Outcome SealOne(const catalog::TickFileRow& row);

  const std::size_t capacity_;
  const Clock& clock_;
  std::unique_ptr<catalog::Catalog> catalog_;  // the sealer thread's
  std::unique_ptr<storage::Sealer> sealer_;
  mutable std::mutex mu_;
  std::condition_variable cv_;       // work queued, or stop
  std::condition_variable idle_cv_;  // a row finished
  std::deque<catalog::TickFileRow> queue_;
  std::set<Key> pending_;            // queued or in progress
  std::vector<Outcome> outcomes_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace ibr::daemon
