// WriterService status: the writer publishes a snapshot (a few times a
// second, and at every state change); Status() copies it under a mutex and
// adds what is read atomically (queue depth, drops before the queue).
#include <algorithm>

#include "daemon/status_snapshot.h"
#include "daemon/writer_service.h"

namespace ibr::daemon {

void WriterService::Publish() {
  last_publish_ = clock_.MonotonicUs();
  publish_now_ = false;
  RecorderStatus s = StatusFromConfig(config_);
  s.instance_name = store_->instance().instance_name;
  s.session_id = session_id_;
  s.session_start = session_start_;
  const bool running = accepting_.load();

  auto contract_status = [&](std::uint32_t cid) {
    ContractStatus c;
    c.contract_id = cid;
    const StreamCounters::Contract* cs = counters_.contract(cid);
    if (config_.source == "sse") {
      c.connected = running && cs && cs->connected;
    } else {
      c.connected = running;
    }
    c.reconnects = cs ? cs->reconnects : 0;
    if (cs) {
      c.last_disconnect = cs->last_disconnect;
      c.last_disconnect_at = cs->last_disconnect_at;
    }
    c.outages = book_->outages_opened(cid);
    return c;
  };
  std::vector<StreamCounters::Key> keys;
  for (const auto& t : config_.tracked) {
    ContractStatus c = contract_status(t.contract_id);
    c.symbol = t.symbol;
    c.tracked = true;
    c.tick_types = t.tick_types;
    c.buffer_hours = t.buffer_hours;
    s.contracts.push_back(std::move(c));
    for (TickType tt : t.tick_types) keys.push_back({t.contract_id, tt});
  }
  const auto& streams = counters_.streams();
  for (const auto& [key, counter] : streams) {
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    keys.push_back(key);
    auto known = std::find_if(s.contracts.begin(), s.contracts.end(),
                              [&](const ContractStatus& c) { return c.contract_id == key.first; });
    if (known == s.contracts.end()) {
      s.contracts.push_back(contract_status(key.first));
      known = s.contracts.end() - 1;
    }
    if (!known->tracked) known->tick_types.push_back(key.second);
  }
  std::vector<MinuteWindow> windows;
  for (const auto& key : keys) {
    StreamStatus st;
    st.contract_id = key.first;
    st.tick_type = key.second;
    for (const auto& t : config_.tracked) {
      if (t.contract_id == key.first) st.symbol = t.symbol;
    }
    auto it = streams.find(key);
    if (it != streams.end()) {
      st.ticks = it->second.ticks;
      st.last_tick_time = it->second.last_tick_time;
      st.last_tick_wall = it->second.last_tick_wall;
      windows.push_back(it->second.window);
    } else {
      windows.emplace_back();
    }
    s.streams.push_back(std::move(st));
  }
  for (const auto& c : s.contracts) s.outages_total += c.outages;
  for (const auto& c : s.contracts) s.reconnects_total += c.reconnects;

  s.ticks_stored = ledger_.stored();
  if (ledger_.dropped_disk_full()) s.dropped_by_reason["disk_full"] = ledger_.dropped_disk_full();
  if (ledger_.dropped_io_error()) s.dropped_by_reason["io_error"] = ledger_.dropped_io_error();
  s.ticks_dropped = ledger_.dropped_disk_full() + ledger_.dropped_io_error();
  s.rejects_not_kept = rejects_->not_kept();
  for (const auto& [reason, n] : rejects_->counts()) {
    s.rejects_by_reason[reason] = static_cast<std::uint64_t>(n);
    s.rejects += static_cast<std::uint64_t>(n);
  }
  s.heartbeats = heartbeats_;
  s.lifecycle_events = lifecycle_;
  s.bytes_written = store_->writer().bytes_written();
  s.open_files = store_->writer().open_files();
  s.files_today = totals_.files_today;
  s.bytes_today = totals_.bytes_today;
  s.files_total = totals_.files_total;
  s.bytes_total = totals_.bytes_total;
  s.sealed_files = totals_.files_sealed;
  s.seals = seals_->seals();
  s.last_seal_seconds = seals_->last_seal_seconds();
  s.retention_enabled = retention_->enabled();
  s.retention_archives = retention_->archives();
  s.retention_files = retention_->totals().files;
  s.retention_bytes = retention_->totals().bytes;
  s.retention_errors = retention_->totals().errors;
  s.retention_last_pass = retention_->totals().last_pass;
  s.live_subscribers = fan_out_.open_count();
  s.disk_free_bytes = disk_->free_bytes();
  s.disk_full = disk_->full();
  s.storage_writable = health_->writable() && !disk_->full();
  s.catalog_ok = health_->catalog_ok();
  s.last_error = disk_->full() ? disk_->reason() : health_->last_error();

  std::lock_guard<std::mutex> lock(status_mu_);
  published_ = std::move(s);
  published_windows_ = std::move(windows);
}

RecorderStatus WriterService::Status() const {
  RecorderStatus s;
  std::vector<MinuteWindow> windows;
  {
    std::lock_guard<std::mutex> lock(status_mu_);
    s = published_;
    windows = published_windows_;
    for (auto& c : s.contracts) {
      auto it = attempts_.find(c.contract_id);
      if (it == attempts_.end()) continue;
      c.reconnect_attempts = c.connected ? 0 : it->second.since_up;
      c.reconnect_attempts_total = it->second.total;
    }
  }
  s.now = clock_.Now();
  s.uptime_seconds = static_cast<std::uint64_t>(std::max<TimeUs>(0, s.now - s.session_start) / kUsPerSecond);
  for (std::size_t i = 0; i < s.streams.size() && i < windows.size(); ++i) {
    s.streams[i].per_minute = windows[i].Last(s.now);
  }
  const std::uint64_t queue_full = dropped_queue_full_.load(), stopped = dropped_stopped_.load();
  if (queue_full) s.dropped_by_reason["queue_full"] = queue_full;
  if (stopped) s.dropped_by_reason["stopped"] = stopped;
  s.ticks_dropped += queue_full + stopped;
  s.queue_depth = queue_.depth();
  s.seal_queue = seals_ ? seals_->queued() : 0;
  s.queue_capacity = queue_.capacity();
  return s;
}

}  // namespace ibr::daemon
