// SseEvents: framing and envelopes.
#include "http/sse_events.h"

#include "common/time_text.h"

namespace ibr::http {

void AppendSseEvent(std::string& out, std::string_view event, std::string_view data) {
  out.append("event: ");
  out.append(event);
  out.append("\ndata: ");
  out.append(data);
  out.append("\n\n");
}

std::string EnvelopeJson(std::string_view type, const std::string& stream_id, TimeUs now, const Json& data) {
  return JsonText(Json{{"type", std::string(type)},
                       {"stream_id", stream_id},
                       {"timestamp", FormatIsoTimestamp(now)},
                       {"data", data}});
}

void SseTickText::Append(std::string& out, const Tick& tick) {
  // The arrival sequence is the event id: a client that reconnects with
  // Last-Event-ID gets what came after it (live_stream.h).
  if (tick.arrival_seq != 0) {
    out.append("id: ");
    out.append(std::to_string(tick.arrival_seq));
    out.push_back('\n');
  }
  out.append("event: tick\ndata: ");
  json_.Append(out, tick);
  out.append("\n\n");
}

Status SseTickSink::OnTick(const Tick& tick, std::string_view) {
  if (stopping_.load(std::memory_order_relaxed)) return Status::Unavailable("the server is stopping");
  text_.Append(out_.bytes(), tick);
  ++count_;
  return out_.MaybeFlush();
}

}  // namespace ibr::http
