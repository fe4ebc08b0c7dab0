// RejectLog: quarantines rejected input lines in {storage}/rejects/YYYY-MM-DD.ndjson
// as {"line": N, "reason": "<code>", "input": "<first 1 KiB>"} and counts them
// per reason. The first reject of each reason is logged to stderr (once per
// RejectLog), so a flood of bad input does not flood the journal. Writer
// thread only; lines are handed to the OS on Flush() or when the buffer fills.
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

class RejectLog {
 public:
  RejectLog(std::string root, FileSystem& fs, const Clock& clock, std::string source_name);
  ~RejectLog();

  void Add(std::uint64_t line_number, ingest::RejectReason reason, std::string_view input, std::string_view detail);
  Status Flush();

  std::uint64_t total() const { return total_; }
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
  std::uint64_t total_ = 0;
};

}  // namespace ibr::storage
