// RecorderService: the running recorder — the one writer thread that owns the
// Store, the bounded queue that feeds it, the collection session, and the
// live fan-out to subscribers. Sources (SSE clients, the simulator, HTTP
// ingest) and the HTTP server talk to it only through this interface; every
// public method is thread-safe.
//
// Writer thread loop: take queued items; append ticks (arrival sequence
// assigned here), record lifecycle events / outages / rejects; every
// fsync_interval Flush(sync) with session counters in the same catalog
// transaction; every few seconds close due hours (sealed on a background
// thread, never stalling intake) and check free disk space.
// Disk full (below min_free_bytes or ENOSPC): stop writing ticks (counted as
// dropped, reason disk_full), keep serving, resume by itself when space
// returns; never damage existing files.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "common/tick.h"
#include "daemon/live_subscription.h"
#include "daemon/recorder_config.h"
#include "daemon/recorder_status.h"
#include "ingest/v2_decoder.h"

namespace ibr::daemon {

// The answer to one HTTP ingest batch, sent once its ticks are durable.
struct IngestAck {
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
  std::map<std::string, std::int64_t> reasons;
  std::int64_t lifecycle = 0;
  std::int64_t files = 0;       // distinct tick files the batch wrote to
  std::int64_t dropped = 0;     // valid ticks not stored (disk full)
  std::int64_t rejects_not_kept = 0;  // rejected lines counted but not quarantined (its bounds)
};

class RecorderService {
 public:
  virtual ~RecorderService() = default;

  // --- sources (any thread) ---
  // One decoded line from a live source. Never blocks: when the queue is
  // full the item is dropped and counted (reason queue_full).
  virtual void Submit(ingest::DecodeResult item, std::uint64_t line_number, std::string_view raw_line) = 0;
  // Upstream stream state for outage tracking (sse source).
  virtual void StreamConnected(std::uint32_t contract_id) = 0;
  virtual void StreamDisconnected(std::uint32_t contract_id, const std::string& cause) = 0;
  // A reconnect attempt of a stream that is down failed too (after StreamDisconnected;
  // counted for the operator, not an outage of its own). Default: ignored.
  virtual void StreamAttemptFailed(std::uint32_t contract_id, const std::string& cause) {
    (void)contract_id;
    (void)cause;
  }
  // POST /v2/ingest: decodes, stores, waits until durable (or the timeout).
  virtual Result<IngestAck> IngestBatch(std::string_view ndjson_body) = 0;

  // --- readers (any thread) ---
  // Registers a live subscriber. The writer hands every buffered tick to the
  // OS first, so every tick with arrival_seq <= sub->start_seq() is readable
  // from the files and every later one reaches the subscription: history +
  // live meet with nothing lost or repeated.
  virtual Result<std::shared_ptr<LiveSubscription>> Subscribe(std::uint32_t contract_id,
                                                              std::vector<TickType> tick_types) = 0;
  virtual void Unsubscribe(const std::shared_ptr<LiveSubscription>& sub) = 0;
  virtual RecorderStatus Status() const = 0;
  virtual const RecorderConfig& config() const = 0;
  // The storage root (for read-only queries through query::QueryEngine).
  virtual const std::string& storage_root() const = 0;

  // --- lifecycle (the thread that started it) ---
  // Stops sources' intake, flushes, seals what is due, closes the session
  // `completed` with `reason`. Idempotent.
  virtual void Stop(const std::string& reason) = 0;
  // As Stop, but the session is closed `failed`: start-up could not finish
  // (the HTTP port could not be bound, the source could not start).
  virtual void Fail(const std::string& reason) { Stop(reason); }
};

}  // namespace ibr::daemon
