// ReadOnlyService: the RecorderService of read-only mode (`run --read-only`, IB_STREAM_MODE=read-only,
// or IB_STREAM_ENABLE_STORAGE=false without an upstream set): serves an existing root beside or after
// its writer, without the lock, a session or any change (passthrough uses it for its root too).
// Ingest and live streams answer FailedPrecondition; Status() comes from the catalog opened
// read-only, refreshed at most every few seconds. Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "catalog/catalog.h"
#include "common/file_system.h"
#include "daemon/recorder_service.h"

namespace ibr::daemon {

class ReadOnlyService final : public RecorderService {
 public:
  // NotFound when the root has no catalog (nothing to serve).
  static Result<std::unique_ptr<ReadOnlyService>> Open(const RecorderConfig& config, FileSystem& fs,
                                                       const Clock& clock);

  void Submit(ingest::DecodeResult, std::uint64_t, std::string_view) override { ++refused_; }
  void StreamConnected(std::uint32_t) override {}
  void StreamDisconnected(std::uint32_t, const std::string&) override {}
  Result<IngestAck> IngestBatch(std::string_view ndjson_body) override;
  Result<std::shared_ptr<LiveSubscription>> Subscribe(std::uint32_t contract_id,
                                                      std::vector<TickType> tick_types) override;
  void Unsubscribe(const std::shared_ptr<LiveSubscription>&) override {}
  RecorderStatus Status() const override;
  const RecorderConfig& config() const override { return config_; }
  const std::string& storage_root() const override { return config_.storage_path; }
  void Stop(const std::string&) override {}

 private:
  ReadOnlyService(const RecorderConfig& c, FileSystem& fs, const Clock& clock)
      : config_(c), fs_(fs), clock_(clock), started_(clock.Now()) {}
  void Refresh() const;  // under mu_

  const RecorderConfig config_;
  FileSystem& fs_;
  const Clock& clock_;
  const TimeUs started_;
  std::atomic<std::uint64_t> refused_{0};
  mutable std::mutex mu_;
  mutable std::unique_ptr<catalog::Catalog> catalog_;
  mutable RecorderStatus cached_;
  mutable TimeUs refreshed_ = 0;  // monotonic
  mutable bool ever_refreshed_ = false;
};

}  // namespace ibr::daemon
