// TickLedger: the writer's count of every tick it was handed — stored, or dropped by reason
// (disk_full, io_error; drops before the queue are WriterService's atomics) — reconciled with what the partition
// writer appended and lost, so each tick is counted exactly once. Writer thread only.
#pragma once

#include <cstdint>

#include "common/status.h"
#include "storage/partition_writer.h"

namespace ibr::daemon {

class TickLedger {
 public:
  void Attempt() { ++attempted_; }
  void DropDiskFull(std::uint64_t n = 1) { dropped_disk_full_ += n; }
  void DropIoError(std::uint64_t n = 1) { dropped_io_error_ += n; }
  // After an append or flush failed with `code`: what the writer did not
  // store since the last call is counted dropped for that reason.
  void Reconcile(StatusCode code, const storage::PartitionWriter& w);
  void Stored(const storage::PartitionWriter& w) { stored_ = w.ticks_appended() - w.ticks_lost(); }

  std::uint64_t stored() const { return stored_; }
  std::uint64_t dropped_disk_full() const { return dropped_disk_full_; }
  std::uint64_t dropped_io_error() const { return dropped_io_error_; }

 private:
  std::uint64_t attempted_ = 0;  // ticks handed to the partition writer
  std::uint64_t accounted_ = 0;  // of those, not stored and already counted as dropped
  std::uint64_t stored_ = 0, dropped_disk_full_ = 0, dropped_io_error_ = 0;
};

}  // namespace ibr::daemon
