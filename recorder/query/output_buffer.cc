// OutputBuffer: chunked hand-off of encoded bytes.
#include "query/output_buffer.h"

#include <utility>

namespace ibr::query {

OutputBuffer::OutputBuffer(FlushFn flush, std::size_t chunk_bytes)
    : flush_(std::move(flush)), chunk_bytes_(chunk_bytes == 0 ? 1 : chunk_bytes) {
  // Room for a chunk plus the tick that crosses the threshold.
  buf_.reserve(chunk_bytes_ + 4096);
}

Status OutputBuffer::Flush() {
  if (!status_.ok()) {
    buf_.clear();
    return status_;
  }
  if (!buf_.empty()) {
    status_ = flush_(buf_);
    buf_.clear();
  }
  return status_;
}

}  // namespace ibr::query
