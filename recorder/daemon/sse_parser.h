// SseParser: incremental Server-Sent Events parser for an upstream ib-stream
// stream. Feed it byte chunks split anywhere; whole events come out through a
// callback. An event ends at a blank line (the standard) or at a new `event:`
// line (the ib-stream server puts no blank line between events, UPSTREAM.md).
// A line or event over max_bytes is dropped whole and counted. One parser per
// stream, used by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace ibr::daemon {

struct SseEvent {
  std::string event;  // the `event:` value; "message" when there was none
  std::string data;   // the `data:` lines joined with '\n'
  std::string id;     // the last `id:` seen on the stream (empty if none)
};

class SseParser {
 public:
  using Sink = std::function<void(const SseEvent&)>;
  static constexpr std::size_t kDefaultMaxBytes = 1 << 20;

  // `max_bytes` bounds one line and one event's data (memory per stream).
  explicit SseParser(std::size_t max_bytes = kDefaultMaxBytes) : max_bytes_(max_bytes) {}

  // Parses `bytes` (lines end in "\n", "\r\n" or "\r"; ':' lines are
  // comments; one space after the field's colon is dropped; `retry:` and
  // unknown fields are ignored) and calls `sink` for every event it ends.
  void Feed(std::string_view bytes, const Sink& sink);

  // With the ib-stream framing the newest event has no end until the next
  // one starts. When no partial line is buffered and the pending event's data
  // is one whole JSON value (the upstream's messages are one line each),
  // dispatches it now instead of holding it until the next event.
  void DispatchIfWholeJson(const Sink& sink);

  // The stream ended: dispatches the pending event if it is whole (no partial
  // line of it is buffered), drops it otherwise (counted in truncated()),
  // and resets for a new stream (counters and the last id are kept).
  void Finish(const Sink& sink);

  // Forgets partial state without dispatching (new connection).
  void Reset();

  std::uint64_t events() const { return events_; }             // dispatched
  std::uint64_t dropped_oversize() const { return oversize_; }  // over max_bytes
  std::uint64_t truncated() const { return truncated_; }        // cut by Finish

 private:
  void OnLine(std::string_view line, const Sink& sink);
  void OnOversizeLine(std::string_view head, const Sink& sink);
  void EndEvent(const Sink& sink);
  void ClearEvent();

  const std::size_t max_bytes_;
  std::string line_;          // a partial line carried to the next Feed
  bool skip_lf_ = false;      // the previous chunk ended in '\r'
  bool discarding_ = false;   // skipping the rest of an oversize line
  SseEvent event_;            // the pending event
  bool has_data_ = false;     // it has at least one `data:` line
  bool poisoned_ = false;     // it hit max_bytes: drop it when it ends
  std::string last_id_;
  std::uint64_t events_ = 0, oversize_ = 0, truncated_ = 0;
};

// True when `text` is one complete JSON object or array: brackets balanced
// outside strings, nothing but whitespace around it. A shape check, not a
// validation.
bool IsWholeJson(std::string_view text);

}  // namespace ibr::daemon
