// TickLedger: stored/dropped reconciliation against the partition writer's counters.
#include "daemon/tick_ledger.h"

namespace ibr::daemon {

void TickLedger::Reconcile(StatusCode code, const storage::PartitionWriter& w) {
  // Not stored: refused by Append, or appended and then lost with a buffer.
  const std::uint64_t not_stored = attempted_ - w.ticks_appended() + w.ticks_lost();
  const std::uint64_t fresh = not_stored - accounted_;
  accounted_ = not_stored;
  (code == StatusCode::kDiskFull ? dropped_disk_full_ : dropped_io_error_) += fresh;
  Stored(w);
}

}  // namespace ibr::daemon
