// LineReader: splits a file descriptor's (or a ReadableFile's) bytes into NDJSON lines with 1-based line
// numbers, reading 1 MiB blocks; blank lines are skipped (but counted); lines over
// kMaxLineBytes come back too_long (first 1 KiB) without being buffered whole. Every
// line has kLinePadding readable bytes after it. Hashes all bytes read (XXH3-128,
// libxxhash) for duplicate-input checks. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/file_system.h"
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
  explicit LineReader(ReadableFile& file);  // reads it from offset 0; does not own it
  ~LineReader();
  // Returns false at end of input; I/O errors in status().
  bool Next(Line* line);
  const Status& status() const;
  std::uint64_t bytes_read() const;
  std::string ContentHash();  // 32 lowercase hex digits (as xxh128sum); valid after Next() returned false

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ibr::ingest
