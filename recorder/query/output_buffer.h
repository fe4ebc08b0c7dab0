// OutputBuffer: the bytes an encoder produces, handed to a sink in chunks of
// about 256 KiB (stdout now, HTTP chunked responses later), so output of any
// size streams in bounded memory.
//
// Owns one std::string buffer. Used by one thread at a time. A failed flush
// is sticky: later flushes do nothing and status() keeps the first error.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ibr::query {

class OutputBuffer {
 public:
  using FlushFn = std::function<Status(std::string_view chunk)>;
  static constexpr std::size_t kDefaultChunkBytes = 256 * 1024;

  explicit OutputBuffer(FlushFn flush, std::size_t chunk_bytes = kDefaultChunkBytes);

  // The buffer encoders append to directly (hot path: no virtual call per piece).
  std::string& bytes() { return buf_; }
  // Flushes when at least a chunk is buffered; returns the sticky status.
  Status MaybeFlush() {
    if (buf_.size() >= chunk_bytes_) return Flush();
    return status_;
  }
  // Hands everything buffered to the sink.
  Status Flush();
  const Status& status() const { return status_; }

 private:
  FlushFn flush_;
  std::size_t chunk_bytes_;
  std::string buf_;
  Status status_;
};

}  // namespace ibr::query
