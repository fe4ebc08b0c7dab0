// V2Decoder: one NDJSON line of the IB-Stream v2 protocol -> a validated Tick,
// a lifecycle event, a heartbeat, or a reject with its reason.
//
// Accepts the spec's shape and the shapes the real ib-stream server emits
// (UPSTREAM.md): "Last"/"AllLast", "midpoint", conditions as string or list,
// contract_id/tick_type only in metadata (as strings), timestamps with 'Z' or
// '+00:00', with or without fraction. Normalises to v2 spelling. simdjson
// on-demand on the hot path. One decoder per thread (it owns a parser).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/tick.h"
#include "ingest/reject_reason.h"

namespace ibr::ingest {

constexpr std::size_t kMaxLineBytes = 64 * 1024;
// simdjson reads up to this many bytes past the end of a line; callers that
// pass padded = true guarantee them (readable, any content).
constexpr std::size_t kLinePadding = 64;

struct LifecycleEvent {
  std::string type;  // "info" | "error" | "complete"
  std::string stream_id;
  TimeUs timestamp = 0;                   // envelope time (0 if it had none parseable)
  std::optional<std::uint32_t> contract_id;  // from data, metadata or stream_id
  std::optional<TickType> tick_type;
  std::string code;                       // info: status; error: code; complete: reason
  std::string raw;                        // the line as received
};

struct DecodeResult {
  enum class Kind { kTick, kLifecycle, kHeartbeat, kReject };
  Kind kind = Kind::kReject;
  Tick tick;                   // kTick (arrival_seq left 0: the writer assigns it)
  LifecycleEvent lifecycle;    // kLifecycle
  RejectReason reason = RejectReason::kBadJson;  // kReject
  std::string detail;          // kReject: short human text, e.g. "missing bid_size"
};

class V2Decoder {
 public:
  V2Decoder();
  ~V2Decoder();
  // `now` bounds plausible timestamps: reject before 2000-01-01 or more than a
  // day after now. `line` excludes the newline. When `padded`, kLinePadding
  // bytes after line.end() are readable (saves a copy).
  DecodeResult Decode(std::string_view line, TimeUs now, bool padded = false);
  // Same, filling `out` in place (reuses its strings; hot path).
  void Decode(std::string_view line, TimeUs now, bool padded, DecodeResult& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ibr::ingest
