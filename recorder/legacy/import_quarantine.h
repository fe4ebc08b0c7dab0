// ImportQuarantine: keeps every legacy record `import` skipped as bad input
// in {storage}/rejects/import-YYYY-MM-DD.ndjson (UTC day of the import), one
// JSON object a line: {"source": "<tree>", "file": "<relative path>",
// "record": N, "reason": "<code>", "detail": "...", "input": "<first 1 KiB>"}
// ("input_hex" with the first 512 bytes instead, for protobuf frames). Not
// lifecycle messages or duplicates: those are not bad input. One thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/status.h"

namespace ibr::legacy {

class ImportQuarantine {
 public:
  ImportQuarantine(std::string root, FileSystem& fs, const Clock& clock, std::string source);

  void Add(std::string_view file, std::uint64_t record, std::string_view reason, std::string_view detail,
           std::string_view input, bool binary);
  Status Flush();  // hands buffered lines to the OS; the first error is kept and returned again
  const std::string& path() const { return path_; }  // empty until something was added
  std::int64_t count() const { return count_; }

 private:
  std::string root_;
  FileSystem& fs_;
  const Clock& clock_;
  std::string source_;
  std::string path_;
  std::string buffer_;
  std::unique_ptr<WritableFile> file_;
  Status status_;
  std::int64_t count_ = 0;
};

}  // namespace ibr::legacy
