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

// Rules, checked in this order (the first failure is the reason):
//   line_too_long; bad_json (anywhere in the line, ignored fields included);
//   not_object; unknown_type (missing, not a string, or not tick/info/error/
//   complete/heartbeat). For ticks: `data` not an object -> missing_field;
//   contract id (data, else metadata; number or digit string) missing or null
//   -> missing_field, invalid -> bad_contract_id; tick type likewise ->
//   missing_field / unknown_tick_type; envelope timestamp missing or null ->
//   missing_field, unparsable -> bad_timestamp, outside [2000-01-01, now + 1 day]
//   -> timestamp_out_of_range; required numbers absent or null -> missing_field,
//   of another JSON type -> not_numeric, overflowing a double -> not_finite.
//   Optional fields, absent or null = not given, else: stream_id, exchange not
//   a string or holding a control character (U+0000..U+001F, only possible
//   through a JSON escape), conditions not a string or a list of
//   strings (null elements skipped) or holding one -> bad_value; `sequence`
//   (else metadata.sequence) not a whole number 0..2^64-1 -> not_numeric;
//   unix_time not a whole number of seconds -> not_numeric, outside
//   [2000-01-01, now + 1 day] -> timestamp_out_of_range; past_limit,
//   unreported, bid_past_low, ask_past_high not true/false -> bad_value.
// Fields a tick type does not use (price on bid_ask) are validated as JSON only.
// A UTF-8 byte order mark at the start of a line is skipped. Every string is
// valid UTF-8 (simdjson checks the bytes and the escapes: invalid -> bad_json),
// so nothing else reaches protobuf string fields.
// Lifecycle messages are never rejected past unknown_type.
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
