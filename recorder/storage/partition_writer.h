// PartitionWriter: appends validated ticks to their hourly files, one open file
// per (contract, tick type, UTC hour of the envelope timestamp), and records
// them in the catalog.
//
// Append() assigns the per-instance arrival sequence, frames the tick (with
// CRC32C) into the file's buffer and hands buffers to the OS when they grow;
// Flush() writes every buffer, fdatasyncs the files and their new directory
// entries, then commits one catalog transaction updating their rows (file data
// is durable before the catalog claims it). All or nothing: when any write,
// fdatasync or the commit fails, Rollback() cuts every file back to what the
// catalog records, so the files hold exactly what was committed. An hour above max_file_bytes
// continues in a further part (size_split); a tick for an hour that was
// already closed for sealing goes to a new part (late). Owned and called by
// one thread (the writer thread).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"
#include "common/tick.h"
#include "storage/file_stats.h"

namespace ibr::storage {

struct WriterOptions {
  std::string root;
  std::string instance_name;
  std::uint64_t max_file_bytes = 200ull << 20;
  std::size_t buffer_bytes = 256 << 10;  // per-file buffer handed to the OS when full
};

// What one Flush() made durable, per contract (for session counters).
struct FlushedContract {
  std::int64_t ticks = 0;
  std::int64_t bytes = 0;
  TimeUs first_time = 0, last_time = 0;
};

// What one Flush() made durable: `committed` when a catalog transaction
// committed (there was data, or an `extra`); `synced` when it fdatasync'ed;
// the ticks/bytes per contract it made durable (empty when nothing was pending).
struct FlushReport {
  bool committed = false;
  bool synced = false;
  std::int64_t ticks = 0;
  std::map<std::uint32_t, FlushedContract> durable;
};

// Ticks appended but never committed (a write, fdatasync or the catalog
// commit failed, e.g. ENOSPC, and Rollback() cut them out of the files):
// never durable, and not in any Flush's counts.
struct LostTicks {
  std::uint32_t contract_id = 0;
  TickType tick_type = TickType::kBidAsk;
  std::int64_t ticks = 0;
  std::int64_t bytes = 0;
};

class PartitionWriter {
 public:
  // fs, catalog and clock must outlive the writer. next_arrival_seq comes from
  // recovery (one above the highest sequence on disk).
  PartitionWriter(WriterOptions options, FileSystem& fs, catalog::Catalog& catalog, const Clock& clock,
                  std::uint64_t next_arrival_seq);
  ~PartitionWriter();

  // Appends one tick (sets tick.arrival_seq). On an I/O error the tick is not
  // stored and the error is returned (DiskFull for ENOSPC); the writer then
  // rolls back (Rollback()): every tick appended since the last committed
  // Flush is lost too (see TakeLostTicks; Flush's failures likewise).
  Status Append(Tick& tick);

  // Makes everything appended durable and recorded in the catalog. `extra`
  // runs inside the same catalog transaction (session counters, events).
  // `sync` false hands data to the OS without fdatasync (tests, read-your-writes).
  // All or nothing: on any failure nothing is committed and Rollback() has run.
  // Returns what it made durable (the caller never infers it from counters).
  Result<FlushReport> Flush(bool sync = true, const std::function<Status(catalog::Catalog&)>& extra = nullptr);

  // Forgets everything appended since the last committed Flush: buffers and
  // pending counts are dropped, every file written since is cut back to the
  // size its catalog row records (a file the catalog does not know yet, to its
  // header) and fdatasync'd. The ticks are reported as lost (TakeLostTicks).
  // Returns the first cut that failed (recovery cuts what is left; see
  // UncommittedTailPolicy in store_check.h).
  Status Rollback();

  // Closes (after a Flush) every file whose hour ended at or before `cutoff`
  // plus files already closed by a size split, and returns their rows for the
  // sealer. Later ticks for those hours go to new parts.
  Result<std::vector<catalog::TickFileRow>> CloseHoursEndingBy(TimeUs cutoff);

  // Ticks/bytes per contract appended since the last completed Flush(): what
  // the next Flush() makes durable (read inside Flush's `extra` to write
  // counters in the same transaction; empty after a Flush that committed).
  const std::map<std::uint32_t, FlushedContract>& unflushed() const { return pending_flush_; }

  // True while this writer holds that file open for appends (or retired, awaiting its seal).
  bool IsOpen(const catalog::TickFileRow& row) const;

  std::uint64_t next_arrival_seq() const { return next_seq_; }
  std::size_t open_files() const;
  std::uint64_t bytes_written() const { return bytes_written_; }
  std::uint64_t ticks_appended() const { return ticks_appended_; }
  // Appended ticks lost since the writer started (ticks_appended() - ticks_lost()
  // is what was handed, or is still buffered, to be handed to the OS).
  std::uint64_t ticks_lost() const { return ticks_lost_; }
  // The losses since the last call, per file.
  std::vector<LostTicks> TakeLostTicks();
  std::uint64_t files_touched() const { return files_touched_; }  // created or reopened
  std::size_t buffered_bytes() const;

 private:
  struct OpenFile;
  struct PartitionKey {
    std::uint32_t contract_id;
    TickType tick_type;
    TimeUs hour_bucket;
    bool operator==(const PartitionKey&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const PartitionKey& k) const;
  };
  struct Partition {
    int last_part = 0;                  // highest part number known for this hour
    std::unique_ptr<OpenFile> open;     // the file taking appends, if any
  };

  Result<Partition*> PartitionFor(const Tick& tick);
  Result<std::unique_ptr<OpenFile>> CreateFile(const PartitionKey& key, int part, catalog::PartReason reason);
  Result<std::unique_ptr<OpenFile>> ReopenFile(const catalog::TickFileRow& row);
  Status AppendOne(Tick& tick);      // Append without the rollback on failure
  Status WriteBuffer(OpenFile& f);  // rolls back (Rollback) when the write fails
  void MarkCommitted(OpenFile& f);   // after a commit: the file's rollback point is now
  Status CutBack(OpenFile& f);       // truncate to committed_size + fdatasync (retried before the next write)
  Status RetireToPending(Partition& p);

  WriterOptions options_;
  FileSystem& fs_;
  catalog::Catalog& catalog_;
  const Clock& clock_;
  std::uint64_t next_seq_;
  std::unordered_map<PartitionKey, Partition, KeyHash> partitions_;
  Partition* last_partition_ = nullptr;  // cache: consecutive ticks usually share one
  PartitionKey last_key_{};
  std::vector<std::unique_ptr<OpenFile>> retired_;  // closed (size split), awaiting their hour's seal
  std::unordered_set<std::string> known_dirs_;
  std::vector<std::string> dirs_to_sync_;
  std::map<std::uint32_t, FlushedContract> pending_flush_;
  std::uint64_t bytes_written_ = 0;
  std::uint64_t ticks_appended_ = 0;
  std::uint64_t ticks_lost_ = 0;
  std::vector<LostTicks> lost_;
  std::uint64_t files_touched_ = 0;
  std::string scratch_;
};

}  // namespace ibr::storage
