// SyncAgent: replicates one storage root's catalog into a CentralStore.
//
// Each pass reads the position the store holds (never a remembered one),
// starts a full re-send when the catalog's generation differs (or when asked),
// then applies batches of changes until it reaches the catalog's end. Run()
// repeats passes every `interval`, retries a failing store with exponential
// backoff and jitter, logs once per state change ("postgres unreachable: ...",
// "postgres reachable again, N rows behind"), and keeps sync-state.json
// current. A stop request (Sleeper::Stop) lets the batch in flight finish.
// One thread drives an agent; the Sleeper may be stopped from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/backoff.h"
#include "catalog_reader.h"
#include "central_store.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"
#include "sleeper.h"
#include "sync_state.h"

namespace ibr::sync {

struct AgentOptions {
  std::string catalog_path;            // {storage}/metadata/catalog.sqlite
  std::string state_path;              // {storage}/metadata/sync-state.json; empty: none
  std::size_t batch_rows = 5000;
  TimeUs interval = kUsPerSecond;      // between passes when caught up
  TimeUs backoff_initial = kUsPerSecond / 2;
  TimeUs backoff_max = 30 * kUsPerSecond;
};

using LogFn = std::function<void(const std::string&)>;

class SyncAgent {
 public:
  // `store`, `clock`, `sleeper` and `fs` must outlive the agent. `uniform01`
  // feeds the backoff jitter (default: random).
  SyncAgent(AgentOptions options, CentralStore& store, const Clock& clock, Sleeper& sleeper, FileSystem& fs,
            LogFn log, std::function<double()> uniform01 = {});

  struct PassResult {
    std::int64_t rows = 0;     // rows + tombstones applied
    int batches = 0;
    SyncPosition position;
    std::int64_t catalog_max_change_no = 0;
  };
  // One pass: everything pending (full_resend: everything, as a new pass).
  // Errors: kUnavailable (store unreachable), kNotFound (no catalog / no
  // instance yet), kBusy (another agent moved the position), others.
  Result<PassResult> SyncPending(bool full_resend = false);

  // SyncPending plus bookkeeping: logs state changes, updates and writes the
  // state file. What `ib-sync once` / `resync` run, and each turn of Run().
  Result<PassResult> RunPass(bool full_resend = false);

  // The daemon loop; returns once the sleeper is stopped.
  void Run();

  const SyncState& state() const { return state_; }

 private:
  void OnReachable(CatalogReader& reader, const CatalogReader::Head& head, const SyncPosition& pos);
  void OnPassDone(CatalogReader& reader, const PassResult& r);
  void UpdateLag(CatalogReader& reader, std::int64_t after);
  void OnFailure(const Status& s);
  // SyncPending plus the state bookkeeping, without writing the file.
  Result<PassResult> Pass(bool full_resend);
  void WriteState();

  AgentOptions options_;
  CentralStore& store_;
  const Clock& clock_;
  Sleeper& sleeper_;
  FileSystem& fs_;
  LogFn log_;
  Backoff backoff_;
  SyncState state_;
  enum class Link { kUnknown, kUp, kDown } link_ = Link::kUnknown;
  std::string last_logged_error_;
  bool in_loop_ = false;        // inside Run(): an unreachable store is logged with the retry delay
  std::string pending_log_;     // that line, until Run() knows the delay
};

}  // namespace ibr::sync
