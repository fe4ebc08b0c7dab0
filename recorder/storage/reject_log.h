// RejectLog: quarantines rejected input lines in {storage}/rejects/YYYY-MM-DD.ndjson
// as {"line": N, "reason": "<code>", "input": "<first 1 KiB>"} and counts them
// per reason. The quarantine is bounded (RejectLogLimits): per batch and per
// day file; past a bound a reject is still counted, but not kept (counted as
// not_kept). The first reject of each reason, and the first one not kept, are
// logged to stderr (once per RejectLog), so a flood of bad input floods
// neither the journal nor the disk. Writer thread only; lines are handed to
// the OS on Flush() or when the buffer fills.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/file_system.h"
#include "ingest/reject_reason.h"

namespace ibr::storage {

struct RejectLogLimits {
  std::uint64_t keep_per_batch = 1000;         // lines kept between BeginBatch and EndBatch
  std::uint64_t bytes_per_day = 64ull << 20;   // size of one day's file (counting what was there before)
};

class RejectLog {
 public:
  RejectLog(std::string root, FileSystem& fs, const Clock& clock, std::string source_name,
            RejectLogLimits limits = {});
  ~RejectLog();

  void Add(std::uint64_t line_number, ingest::RejectReason reason, std::string_view input, std::string_view detail);
  Status Flush();

  // One ingest batch: at most keep_per_batch of its rejects are kept. EndBatch
  // returns how many of the batch's rejects were not kept (either bound).
  void BeginBatch();
  std::uint64_t EndBatch();
  // Rejects counted since BeginBatch (kept or not), by reason code; the
  // batch's answer reports these (no caller keeps its own tally).
  std::map<std::string, std::int64_t> batch_counts() const;
  std::uint64_t batch_total() const { return batch_total_; }

  std::uint64_t total() const { return total_; }
  std::uint64_t not_kept() const { return not_kept_; }  // counted, not quarantined (since construction)
  std::map<std::string, std::int64_t> counts() const;           // all reasons seen, by code
  std::map<std::string, std::int64_t> TakeUnflushedCounts();    // since the last call (for the catalog)

 private:
  std::string root_;
  FileSystem& fs_;
  const Clock& clock_;
  std::string source_name_;
  std::string buffer_;
  std::string current_path_;
  std::unique_ptr<WritableFile> file_;
  std::array<std::int64_t, ingest::kRejectReasonCount> counts_{};
  std::array<std::int64_t, ingest::kRejectReasonCount> unsaved_{};
  std::array<std::int64_t, ingest::kRejectReasonCount> batch_counts_{};
  std::uint64_t batch_total_ = 0;
  std::uint64_t total_ = 0;
  const RejectLogLimits limits_;
  bool in_batch_ = false;
  std::uint64_t batch_kept_ = 0, batch_not_kept_ = 0, not_kept_ = 0;
  std::int64_t day_ = -1;           // day (since the epoch) of day_bytes_
  std::uint64_t day_bytes_ = 0;     // bytes in that day's file, buffered ones included
};

}  // namespace ibr::storage
