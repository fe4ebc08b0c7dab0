// LineReader: splits a byte stream (file descriptor) into NDJSON lines with
// their 1-based line numbers, reading in large blocks. Lines longer than
// kMaxLineBytes are reported as too long (first 1 KiB kept) and skipped to the
// next newline. Every returned line has kLinePadding readable bytes after it.
// Also hashes everything it reads (XXH3-128, 32 hex digits, libxxhash) for
// duplicate-input checks.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ibr::ingest {

struct Line {
  std::uint64_t number = 0;
  std::string_view text;   // without '\n' (and without a trailing '\r')
  bool too_long = false;   // text then holds at most the first 1 KiB
};

class LineReader {
 public:
  explicit LineReader(int fd);  // does not own fd
  ~LineReader();
  // Returns false at end of input; I/O errors in status().
  bool Next(Line* line);
  const Status& status() const;
  std::uint64_t bytes_read() const;
  std::string ContentHash();  // valid after Next() returned false

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ibr::ingest
