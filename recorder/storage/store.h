// Store: a storage root opened by its one writer.
//
// Open() takes the root's lock (a second writer fails at once, naming the
// holder), creates the layout, opens the catalog read-write (migrating it),
// registers or checks the instance that owns the root, and runs recovery
// (StoreCheck in repair mode) before anything is written, so the writer starts
// from files and catalog that agree. Owns the lock, catalog, writer and
// sealer; all used from one thread (the writer thread).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"
#include "storage/partition_writer.h"
#include "storage/sealer.h"
#include "storage/store_check.h"
#include "storage/store_lock.h"

namespace ibr::storage {

struct StoreOptions {
  std::string root;
  std::string instance_name;  // empty: the root's existing instance, else "{environment}-{hostname}"
  std::string environment = "production";
  std::string purpose = "writer";  // shown to a second writer ("ingest", "run", ...)
  std::uint64_t max_file_bytes = 200ull << 20;
  int lz4_level = 4;
  TimeUs seal_grace = 300 * kUsPerSecond;
  int tws_client_id = 0;
  int workers = 0;  // IB_STREAM_WORKERS: sealing threads of `ingest` (0: one per core)
};

struct SealSummary {
  int sealed = 0;
  int removed_empty = 0;
  std::uint64_t dropped_bytes = 0;
  std::vector<std::string> errors;  // files that could not be sealed (left open, retried later)
};

class Store {
 public:
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options, FileSystem& fs, const Clock& clock);
  ~Store();

  catalog::Catalog& catalog() { return *catalog_; }
  PartitionWriter& writer() { return *writer_; }
  const StoreCheckReport& recovery() const { return recovery_; }
  const catalog::InstanceRow& instance() const { return instance_; }
  const StoreOptions& options() const { return options_; }
  FileSystem& fs() { return fs_; }
  const Clock& clock() const { return clock_; }

  // Closes every hour that ended at or before `cutoff` and returns the rows to
  // seal: those, plus files an earlier run left open (not held by the writer).
  Result<std::vector<catalog::TickFileRow>> CloseDue(TimeUs cutoff);
  // Closes and seals (on this thread) every hour that ended at or before `cutoff`.
  Result<SealSummary> SealHoursEndingBy(TimeUs cutoff);
  // The same with cutoff = now - seal_grace.
  Result<SealSummary> SealDue() { return SealHoursEndingBy(clock_.Now() - options_.seal_grace); }

 private:
  Store(const StoreOptions& o, FileSystem& fs, const Clock& c) : options_(o), fs_(fs), clock_(c) {}
  StoreOptions options_;
  FileSystem& fs_;
  const Clock& clock_;
  std::unique_ptr<StoreLock> lock_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<PartitionWriter> writer_;
  std::unique_ptr<Sealer> sealer_;
  StoreCheckReport recovery_;
  catalog::InstanceRow instance_;
};

std::string DefaultInstanceName(const std::string& environment);
std::string HostName();

}  // namespace ibr::storage
