// SseSource: the `sse` TickSource. For each tracked contract its own thread
// holds GET {upstream}/v2/stream/{id}?tick_types=<its types> open on an
// ib-stream server; every data event is decoded (one V2Decoder per thread)
// and handed to RecorderService::Submit -- ticks, lifecycle and heartbeats
// alike. Connection state goes to StreamConnected / StreamDisconnected once
// per change (not per retry), with one log line; after a disconnect the
// thread waits a Backoff delay (cut short by Stop) and reconnects. Contracts
// are independent. Start/Stop from the thread that owns the source.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "daemon/recorder_config.h"
#include "daemon/sse_parser.h"
#include "daemon/tick_source.h"

namespace ibr::daemon {

struct SseSourceOptions {
  TimeUs connect_timeout = 5 * kUsPerSecond;
  // No byte for this long counts as a disconnect. Heartbeats keep a quiet
  // stream (market closed) alive, so it is far above their period.
  TimeUs read_timeout = 120 * kUsPerSecond;
  TimeUs max_backoff = 60 * kUsPerSecond;      // cap of the reconnect delay
  TimeUs healthy_after = 30 * kUsPerSecond;    // up this long: the next delay starts small again
  std::size_t max_event_bytes = SseParser::kDefaultMaxBytes;  // larger events: a line_too_long reject
  std::uint64_t jitter_seed = 0;               // 0: random; else deterministic (seed + contract id)
  std::function<void(const std::string&)> log; // one line per state change; empty: stderr
};

// Reads config.upstream_url (default http://127.0.0.1:{upstream_port}; an
// optional path prefix is kept), config.tracked (empty tick types: bid_ask,
// last) and config.reconnect_delay (the first backoff bound). Start() fails
// with a message when the URL is not http(s):// or nothing is tracked.
// `clock` must outlive the source.
std::unique_ptr<TickSource> MakeSseSource(const RecorderConfig& config, const Clock& clock);
std::unique_ptr<TickSource> MakeSseSource(const RecorderConfig& config, const Clock& clock, SseSourceOptions options);

}  // namespace ibr::daemon
