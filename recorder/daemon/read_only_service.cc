// ReadOnlyService: status from a read-only catalog; everything else refused.
#include "daemon/read_only_service.h"

#include <algorithm>

#include "common/time_text.h"
#include "daemon/minute_window.h"
#include "daemon/status_snapshot.h"
#include "storage/layout.h"
#include "storage/store.h"

namespace ibr::daemon {
namespace {

constexpr TimeUs kRefreshInterval = 5 * kUsPerSecond;

}  // namespace

Result<std::unique_ptr<ReadOnlyService>> ReadOnlyService::Open(const RecorderConfig& config, FileSystem& fs,
                                                               const Clock& clock) {
  std::unique_ptr<ReadOnlyService> svc(new ReadOnlyService(config, fs, clock));
  auto cat = catalog::Catalog::Open(storage::CatalogPath(config.storage_path), catalog::Catalog::Mode::kReadOnly, clock);
  if (!cat.ok()) {
    return cat.status().WithContext("--read-only serves an existing storage root, and " + config.storage_path +
                                    " has no readable catalog");
  }
  svc->catalog_ = std::move(cat.value());
  return svc;
}

Result<IngestAck> ReadOnlyService::IngestBatch(std::string_view) {
  return Status::FailedPrecondition("this recorder runs read-only and stores nothing: send ticks to the recorder "
                                    "that owns " + config_.storage_path);
}

Result<std::shared_ptr<LiveSubscription>> ReadOnlyService::Subscribe(std::uint32_t, std::vector<TickType>) {
  return Status::FailedPrecondition("this recorder runs read-only: it has no live stream (history endpoints work)");
}

void ReadOnlyService::Refresh() const {
  RecorderStatus s = StatusFromConfig(config_);
  s.instance_name.clear();  // the root's, below
  s.session_start = started_;
  auto fail = [&](const ibr::Status& st) {
    s.catalog_ok = false;
    s.last_error = "reading the catalog: " + st.message();
  };
  if (auto inst = catalog_->GetInstance(); !inst.ok()) {
    fail(inst.status());
  } else if (inst->has_value()) {
    s.instance_name = (*inst)->instance_name;
  }
  s.contracts = TrackedContractStatus(config_);
  auto totals = ReadCatalogTotals(*catalog_, clock_.Now(), [&](const catalog::DailyTickStatsRow& r) {
    auto it = std::find_if(s.streams.begin(), s.streams.end(), [&](const StreamStatus& st) {
      return st.contract_id == r.contract_id && st.tick_type == r.tick_type;
    });
    if (it == s.streams.end()) {
      StreamStatus st;
      st.contract_id = r.contract_id;
      st.tick_type = r.tick_type;
      s.streams.push_back(st);
      it = s.streams.end() - 1;
    }
    if (r.last_tick && (!it->last_tick_time || *r.last_tick > *it->last_tick_time)) it->last_tick_time = r.last_tick;
  });
  if (!totals.ok()) {
    fail(totals.status());
  } else {
    s.files_today = totals->files_today;
    s.bytes_today = totals->bytes_today;
    s.files_total = totals->files_total;
    s.bytes_total = totals->bytes_total;
    s.sealed_files = totals->files_sealed;
  }
  if (auto rejects = catalog_->RejectTotals(); rejects.ok()) {
    for (const auto& [reason, n] : *rejects) {
      s.rejects_by_reason[reason] = static_cast<std::uint64_t>(n);
      s.rejects += static_cast<std::uint64_t>(n);
    }
  }
  if (auto free = fs_.FreeBytes(config_.storage_path); free.ok()) s.disk_free_bytes = *free;
  cached_ = std::move(s);
  refreshed_ = clock_.MonotonicUs();
  ever_refreshed_ = true;
}

RecorderStatus ReadOnlyService::Status() const {
  RecorderStatus s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!ever_refreshed_ || clock_.MonotonicUs() - refreshed_ >= kRefreshInterval) Refresh();
    s = cached_;
  }
  s.now = clock_.Now();
  s.uptime_seconds = static_cast<std::uint64_t>(std::max<TimeUs>(0, s.now - started_) / kUsPerSecond);
  for (auto& st : s.streams) st.per_minute.assign(MinuteWindow::kMinutes, 0);
  s.ticks_dropped = refused_.load();
  if (s.ticks_dropped) s.dropped_by_reason["read_only"] = s.ticks_dropped;
  return s;
}

}  // namespace ibr::daemon
