// SealScheduler: queueing closed files to the sealer thread, retries, leftovers of a crash.
#include "daemon/seal_scheduler.h"

#include <algorithm>

namespace ibr::daemon {
namespace {

bool SameFileRow(const catalog::TickFileRow& a, const catalog::TickFileRow& b) {
  return a.contract_id == b.contract_id && a.tick_type == b.tick_type && a.hour_bucket == b.hour_bucket &&
         a.part == b.part;
}

}  // namespace

Result<std::unique_ptr<SealScheduler>> SealScheduler::Start(const storage::SealerOptions& options, FileSystem& fs,
                                                            const Clock& clock, catalog::Catalog& catalog,
                                                            const std::string& catalog_path,
                                                            std::size_t queue_capacity, LogFn log) {
  std::unique_ptr<SealScheduler> s(new SealScheduler(catalog, clock, std::move(log)));
  s->leftover_sealer_ = std::make_unique<storage::Sealer>(options, fs, catalog);
  auto sealer = BackgroundSealer::Start(options, fs, clock, catalog_path, queue_capacity);
  if (!sealer.ok()) return sealer.status();
  s->sealer_ = std::move(sealer).value();
  return s;
}

void SealScheduler::EnqueueWaiting() {
  // Queued rows leave waiting_; rows the full queue refused wait for the next round.
  std::erase_if(waiting_, [&](const catalog::TickFileRow& r) { return sealer_->Enqueue(r) || sealer_->Pending(r); });
}

void SealScheduler::Schedule(std::vector<catalog::TickFileRow> closed) {
  for (auto& row : closed) waiting_.push_back(std::move(row));
  EnqueueWaiting();
}

Result<bool> SealScheduler::SealLeftovers(const storage::PartitionWriter& writer, TimeUs cutoff) {
  // Files an earlier run left open (found by recovery, never reopened here) are
  // due too. This writer holds no handle on them but could reopen one for a
  // late tick, so they are sealed here, on the writer thread (only after a crash).
  auto open_rows = catalog_.ListTickFiles(catalog::FileStatus::kOpen);
  if (!open_rows.ok()) return open_rows.status();
  bool sealed_left = false;
  for (const auto& r : *open_rows) {
    if (r.hour_bucket + kUsPerHour > cutoff || writer.IsOpen(r) || sealer_->Pending(r)) continue;
    const bool waiting =
        std::any_of(waiting_.begin(), waiting_.end(), [&](const catalog::TickFileRow& q) { return SameFileRow(q, r); });
    if (waiting) continue;
    const TimeUs t0 = clock_.MonotonicUs();
    auto sealed = leftover_sealer_->Seal(r);
    if (!sealed.ok()) {
      log_("could not seal " + r.file_path + ": " + sealed.status().ToString() + " (retried in a few seconds)");
      continue;
    }
    if (!sealed->removed_empty) {
      ++seals_;
      last_seal_seconds_ = static_cast<double>(clock_.MonotonicUs() - t0) / kUsPerSecond;
      sealed_left = true;
    }
  }
  return sealed_left;
}

SealScheduler::Collected SealScheduler::Collect(bool retry_failed) {
  Collected c;
  for (auto& o : sealer_->TakeOutcomes()) {
    c.any = true;
    if (!o.status.ok()) {
      log_("could not seal " + o.row.file_path + ": " + o.status.ToString() +
           (retry_failed ? " (retried in a few seconds)" : " (the next start seals it)"));
      if (retry_failed) waiting_.push_back(std::move(o.row));
      continue;
    }
    if (o.dropped_bytes > 0) {
      log_("sealed " + o.row.file_path + " without its torn tail (" + std::to_string(o.dropped_bytes) + " bytes)");
    }
    if (o.quarantined_bytes > 0) {
      log_("sealed " + o.row.file_path + " without " + std::to_string(o.quarantined_bytes) +
           " damaged bytes between valid frames (kept under quarantine/; every other tick sealed)");
    }
    if (o.sealed) {
      ++seals_;
      last_seal_seconds_ = o.seconds;
      c.sealed = true;
    }
  }
  return c;
}

bool SealScheduler::Drain(int timeout_ms) {
  bool sealed = false;
  // Seal everything due before the session closes; rows a full queue refused
  // go in as room is made. A failed seal is not retried now: the next start does it.
  for (;;) {
    if (!sealer_->WaitIdle(timeout_ms)) {
      log_("sealing did not finish within " + std::to_string(timeout_ms / 1000) +
           " s of the stop; it finishes before exit");
      return sealed;
    }
    sealed = Collect(false).sealed || sealed;
    if (waiting_.empty()) return sealed;
    EnqueueWaiting();
  }
}

}  // namespace ibr::daemon
