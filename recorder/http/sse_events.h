// SseEvents: Server-Sent Events framing for the live streams —
// "event: <name>\ndata: <one JSON line>\n\n" (ticks also "id: <arrival_seq>"; with the blank line the
// upstream server omits), v2 envelopes for the server's own info, heartbeat,
// error and complete messages, and tick events (optionally marked
// {"historical": true}). Per-stream objects, one thread each.
#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/tick.h"
#include "http/json_reply.h"
#include "query/output_buffer.h"
#include "query/tick_json.h"
#include "query/tick_sink.h"

namespace ibr::http {

void AppendSseEvent(std::string& out, std::string_view event, std::string_view data);
// {"type":type,"stream_id":..,"timestamp":..,"data":data} as one line.
std::string EnvelopeJson(std::string_view type, const std::string& stream_id, TimeUs now, const Json& data);

// Appends "id: <arrival_seq>\nevent: tick\ndata: <TickJson>\n\n" (no id line
// for a tick without an arrival sequence).
class SseTickText {
 public:
  explicit SseTickText(bool historical) : json_(query::TickJsonOptions{historical}) {}
  void Append(std::string& out, const Tick& tick);

 private:
  query::TickJsonWriter json_;
};

// Tick events into an OutputBuffer (history replay); stops with Unavailable
// once `stopping` is set (server shutdown).
class SseTickSink final : public query::TickSink {
 public:
  SseTickSink(query::OutputBuffer& out, bool historical, const std::atomic<bool>& stopping)
      : out_(out), text_(historical), stopping_(stopping) {}
  Status OnTick(const Tick& tick, std::string_view raw_body) override;
  std::uint64_t count() const { return count_; }

 private:
  query::OutputBuffer& out_;
  SseTickText text_;
  const std::atomic<bool>& stopping_;
  std::uint64_t count_ = 0;
};

}  // namespace ibr::http
