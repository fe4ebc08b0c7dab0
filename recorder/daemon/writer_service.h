// WriterService: the RecorderService of a recorder that writes. One writer thread owns its
// parts — the Store (flush/commit), SessionBook, RejectLog, DiskGuard, StoreHealth,
// SealScheduler (sealing on its thread), LiveFanOut, StreamCounters, TickLedger; other threads
// reach it only through the bounded WriterQueue. Public methods are thread-safe (Start/Stop
// from the owning thread). Time comes from the injected Clock only (tests: ManualClock, Barrier()).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "daemon/disk_guard.h"
#include "daemon/live_fan_out.h"
#include "daemon/minute_window.h"
#include "daemon/recorder_service.h"
#include "daemon/retention_scheduler.h"
#include "daemon/seal_scheduler.h"
#include "daemon/session_book.h"
#include "daemon/status_snapshot.h"
#include "daemon/store_health.h"
#include "daemon/stream_counters.h"
#include "daemon/tick_ledger.h"
#include "daemon/writer_queue.h"
#include "storage/reject_log.h"
#include "storage/store.h"

namespace ibr::daemon {

struct WriterServiceOptions {
  std::size_t queue_capacity = 100'000;        // decoded lines waiting for the writer
  std::size_t subscriber_capacity = 20'000;    // ticks a live subscriber may fall behind before it is dropped
  TimeUs seal_check_interval = 5 * kUsPerSecond;
  std::size_t seal_queue_capacity = 1024;      // closed files waiting for the sealer thread
  TimeUs disk_check_interval = kUsPerSecond;
  TimeUs catalog_stats_interval = 5 * kUsPerSecond;  // files/bytes today and in total
  TimeUs status_publish_interval = 200'000;
  TimeUs retention_interval = kUsPerHour;          // RecorderConfig::retention applied this often
  TimeUs retention_first_delay = 60 * kUsPerSecond;  // first pass this long after start-up
  int idle_wait_ms = 50;           // how long the writer waits for work before looking at the clock again
  int ingest_timeout_ms = 120'000; // IngestBatch gives up waiting (the batch may still be stored)
  int command_timeout_ms = 30'000; // Subscribe / Barrier
  // One line per state change (journald); default: "ib-recorder: <line>" on stderr.
  std::function<void(const std::string&)> log;
};

class WriterService final : public RecorderService {
 public:
  // Opens the store (lock + recovery: a session left active is closed
  // `failed`), registers the instance, opens an `active` session and starts
  // the writer thread. Busy when another writer holds the root.
  static Result<std::unique_ptr<WriterService>> Start(const RecorderConfig& config, FileSystem& fs,
                                                      const Clock& clock, WriterServiceOptions options = {});
  ~WriterService() override;  // Stop("service shut down") if not stopped

  void Submit(ingest::DecodeResult item, std::uint64_t line_number, std::string_view raw_line) override;
  void StreamConnected(std::uint32_t contract_id) override;
  void StreamDisconnected(std::uint32_t contract_id, const std::string& cause) override;
  void StreamAttemptFailed(std::uint32_t contract_id, const std::string& cause) override;
  Result<IngestAck> IngestBatch(std::string_view ndjson_body) override;
  Result<std::shared_ptr<LiveSubscription>> Subscribe(std::uint32_t contract_id,
                                                      std::vector<TickType> tick_types) override;
  void Unsubscribe(const std::shared_ptr<LiveSubscription>& sub) override;
  RecorderStatus Status() const override;
  const RecorderConfig& config() const override { return config_; }
  const std::string& storage_root() const override { return config_.storage_path; }
  void Stop(const std::string& reason) override;
  void Fail(const std::string& reason) override;

  // Returns once the writer has handled everything queued before the call and
  // run its periodic work (flush, queue due seals, disk check) at the clock's
  // current time. Seals run on the sealer thread: see WaitForSeals.
  ibr::Status Barrier();
  // Barrier, then waits until the sealer thread has sealed everything queued,
  // then a Barrier again so Status() counts those seals.
  ibr::Status WaitForSeals();
  std::int64_t session_id() const { return session_id_; }

 private:
  // Failed connection attempts per contract (source threads write, Status() reads).
  struct UpstreamAttempts {
    std::uint64_t since_up = 0, total = 0;
  };

  WriterService(const RecorderConfig& config, FileSystem& fs, const Clock& clock, WriterServiceOptions options);
  bool PushCommand(std::unique_ptr<Command> command);  // false once stopping
  void StopWith(const std::string& reason, bool failed);
  void Log(const std::string& line) const;

  // --- writer thread ---
  void Run();
  void Handle(QueueItem& item, bool* stop);
  // Stores one tick; false when it was not stored (counted dropped).
  bool HandleTick(Tick& t);
  void HandleLifecycle(const ingest::LifecycleEvent& ev);
  void HandleReject(const RejectItem& r);
  // Ingest batches queued together (writer_service_ingest.cc): stored in
  // order, one flush for all, each answered with its own ack — or, when a
  // write or the flush fails, every batch of the group refused, none of
  // their ticks kept.
  void HandleIngestGroup(const std::vector<Command*>& group);
  // Stores one batch's lines; `refused` set (and later ticks dropped) once a write fails.
  void StoreBatchLines(Command& c, IngestAck& ack, std::uint64_t lost_before, bool& refused);
  void HandleSubscribe(Command& c);
  void HandleStreamState(const Command& c);
  void HandleStop(Command& c);
  void Periodic();
  ibr::Status FlushAll(bool sync);
  void SealDue();
  void CollectSeals(bool retry_failed);
  void AccountLosses(StatusCode code, const Tick* refused);
  void CheckDisk();
  void OnStoreError(const ibr::Status& s, const std::string& doing);
  void RefreshCatalogStats();
  void Publish();

  const RecorderConfig config_;
  FileSystem& fs_;
  const Clock& clock_;
  const WriterServiceOptions opt_;
  WriterQueue queue_;  // the intake: every source's lines and every command

  std::mutex lifecycle_mu_;
  std::atomic<bool> accepting_{true};
  bool stop_sent_ = false;
  std::thread thread_;
  std::int64_t session_id_ = 0;
  TimeUs session_start_ = 0;
  std::atomic<std::uint64_t> dropped_queue_full_{0}, dropped_stopped_{0};

  // Writer thread only (after Start): the parts, each a unit of its own.
  std::unique_ptr<storage::Store> store_;        // partition writer + catalog (flush/commit)
  std::unique_ptr<SessionBook> book_;            // session, counters, events, outages
  std::unique_ptr<storage::RejectLog> rejects_;  // quarantine + reject counts
  std::unique_ptr<DiskGuard> disk_;              // disk full / resumed
  std::unique_ptr<StoreHealth> health_;          // storage errors
  std::unique_ptr<SealScheduler> seals_;         // sealing
  std::unique_ptr<RetentionScheduler> retention_;  // hourly retention pass
  LiveFanOut fan_out_;                           // live subscribers
  StreamCounters counters_;                      // per stream / contract status counters
  TickLedger ledger_;                            // stored / dropped
  TimeUs now_ = 0;  // wall clock at the start of the current batch
  std::uint64_t heartbeats_ = 0, lifecycle_ = 0;
  bool dirty_ = false;  // ticks appended since the last flush
  bool publish_now_ = false;  // state changed: publish at the end of this round
  TimeUs last_flush_ = 0, last_seal_ = 0, last_disk_ = 0, last_stats_ = 0, last_publish_ = 0;
  CatalogTotals totals_;  // refreshed every catalog_stats_interval

  // Published by the writer, read by Status().
  mutable std::mutex status_mu_;
  std::map<std::uint32_t, UpstreamAttempts> attempts_;  // under status_mu_
  RecorderStatus published_;
  std::vector<MinuteWindow> published_windows_;  // parallel to published_.streams
};

}  // namespace ibr::daemon
