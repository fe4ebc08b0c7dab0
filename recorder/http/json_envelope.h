// JsonEnvelope: the seed's JSON answer {"...": ..., "messages": [<tick>, ...],
// "count": N, ...} streamed into an OutputBuffer — members known before the
// query come first, members known only after it (actual ranges) last, so the
// message array is never held in memory. One per response, one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "query/output_buffer.h"
#include "query/tick_json.h"
#include "query/tick_sink.h"

namespace ibr::http {

class JsonEnvelope final : public query::TickSink {
 public:
  // `head`: JSON members without braces written before "messages" (may be empty).
  // `tail(count)`: members written after "count" (may be null).
  JsonEnvelope(query::OutputBuffer& out, std::string head, std::function<std::string(std::uint64_t)> tail = nullptr)
      : out_(out), head_(std::move(head)), tail_(std::move(tail)) {}

  Status Begin();
  Status OnTick(const Tick& tick, std::string_view raw_body) override;
  // Closes the array and object, then flushes everything.
  Status Finish();
  std::uint64_t count() const { return count_; }

 private:
  query::OutputBuffer& out_;
  std::string head_;
  std::function<std::string(std::uint64_t)> tail_;
  query::TickJsonWriter json_;
  std::uint64_t count_ = 0;
};

}  // namespace ibr::http
