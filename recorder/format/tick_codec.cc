// Tick <-> StreamMessage bytes, by hand (see FORMAT.md for the byte layout).
//
// Encoding writes fields in ascending number order, exactly as protobuf's
// generated SerializeToString would, then the CRC32C field last. Decoding
// accepts any valid encoding: any field order, repeated occurrences merged as
// protobuf merges them, unknown fields and wrong-wire-type fields skipped.
#include "format/tick_codec.h"

#include <array>
#include <bit>

#include "format/crc32c.h"
#include "format/proto_timestamp.h"
#include "format/wire.h"

namespace ibr::format {
namespace {

using wire::WireReader;

// Tag bytes (field number << 3 | wire type), all one byte except fields 16, 17.
constexpr char kTagType = 0x0A;          // StreamMessage.type = 1, string
constexpr char kTagStreamId = 0x12;      // StreamMessage.stream_id = 2, string
constexpr char kTagTimestamp = 0x1A;     // StreamMessage.timestamp = 3, message
constexpr char kTagTickData = 0x22;      // StreamMessage.tick_data = 4, message
constexpr char kTagErrorData = 0x2A;     // StreamMessage.error_data = 5, message
constexpr char kTagCompleteData = 0x32;  // StreamMessage.complete_data = 6, message
constexpr char kTagInfoData = 0x3A;      // StreamMessage.info_data = 7, message
constexpr char kTagArrival = 0x48;       // StreamMessage.arrival_sequence = 9, varint
constexpr char kTagCrc = 0x7D;           // StreamMessage.crc32c = 15, fixed32
constexpr char kTagSeconds = 0x08;       // Timestamp.seconds = 1
constexpr char kTagNanos = 0x10;         // Timestamp.nanos = 2
constexpr char kTagContractId = 0x08;    // TickData.contract_id = 1
constexpr char kTagTickType = 0x12;      // TickData.tick_type = 2
constexpr char kTagExchange = 0x52;      // TickData.exchange = 10
constexpr char kTagConditions = 0x5A;    // TickData.conditions = 11
constexpr char kTagSequence = 0x60;      // TickData.sequence = 12
constexpr std::size_t kCrcFieldBytes = 5;

// TickData fields 3..9 (fixed64 doubles), in field-number order.
constexpr std::array<std::optional<double> Tick::*, 7> kDoubleFields = {
    &Tick::price, &Tick::size, &Tick::bid_price, &Tick::bid_size,
    &Tick::ask_price, &Tick::ask_size, &Tick::mid_price};
// TickData fields 13..16 (bools).
constexpr std::array<std::optional<bool> Tick::*, 4> kBoolFields = {
    &Tick::past_limit, &Tick::unreported, &Tick::bid_past_low, &Tick::ask_past_high};

// Upper bound on the encoded size apart from the strings' own bytes.
constexpr std::size_t kFixedBound = 192;

char* PutString(char* p, char tag, std::string_view s) {
  *p++ = tag;
  p = wire::PutVarint(p, s.size());
  return wire::PutBytes(p, s);
}

char* EncodeTickData(const Tick& t, char* p) {
  if (t.contract_id != 0) {  // proto3 implicit presence: 0 is not written
    *p++ = kTagContractId;
    p = wire::PutVarint(p, t.contract_id);
  }
  p = PutString(p, kTagTickType, TickTypeName(t.tick_type));
  for (std::size_t i = 0; i < kDoubleFields.size(); ++i) {
    const std::optional<double>& d = t.*kDoubleFields[i];
    if (!d) continue;
    *p++ = static_cast<char>(((3 + i) << 3) | wire::kFixed64);
    p = wire::PutFixed64(p, std::bit_cast<std::uint64_t>(*d));
  }
  if (t.exchange) p = PutString(p, kTagExchange, *t.exchange);
  for (const std::string& c : t.conditions) p = PutString(p, kTagConditions, c);
  if (t.sequence) {
    *p++ = kTagSequence;
    p = wire::PutVarint(p, *t.sequence);
  }
  for (std::size_t i = 0; i < kBoolFields.size(); ++i) {
    const std::optional<bool>& b = t.*kBoolFields[i];
    if (!b) continue;
    p = wire::PutVarint(p, ((13 + i) << 3) | wire::kVarint);
    *p++ = *b ? 1 : 0;
  }
  if (t.unix_time) {
    p = wire::PutVarint(p, (17u << 3) | wire::kVarint);
    p = wire::PutVarint(p, static_cast<std::uint64_t>(*t.unix_time));
  }
  return p;
}

Status Bad(const char* what) { return Status::Corruption(std::string("tick message: ") + what); }

void ResetTickData(Tick& t) {
  t.contract_id = 0;
  t.tick_type = TickType::kBidAsk;
  for (auto f : kDoubleFields) (t.*f).reset();
  t.exchange.reset();
  t.conditions.clear();
  t.sequence.reset();
  for (auto f : kBoolFields) (t.*f).reset();
  t.unix_time.reset();
}

// Merges one TickData occurrence into t (later fields win, conditions append).
// Switches on whole tags: a known field number with another wire type is an
// unknown field to protobuf, and skipped here too. kFull = false reads (and so
// validates) every field the same way but stores only contract_id and
// tick_type (the key decode).
template <bool kFull>
bool ParseTickData(std::string_view bytes, Tick& t, bool* tick_type_ok) {
  WireReader r(bytes);
  while (!r.done()) {
    std::uint32_t tag;
    if (!r.ReadRawTag(&tag)) return false;
    std::uint64_t v;
    std::string_view s;
    switch (tag) {
      case (1 << 3) | wire::kVarint:
        if (!r.ReadVarint(&v)) return false;
        t.contract_id = static_cast<std::uint32_t>(v);
        break;
      case (2 << 3) | wire::kLengthDelimited: {
        if (!r.ReadLengthDelimited(&s)) return false;
        const auto tt = ParseTickTypeName(s);
        *tick_type_ok = tt.has_value();
        if (tt) t.tick_type = *tt;
        break;
      }
      case (3 << 3) | wire::kFixed64:
      case (4 << 3) | wire::kFixed64:
      case (5 << 3) | wire::kFixed64:
      case (6 << 3) | wire::kFixed64:
      case (7 << 3) | wire::kFixed64:
      case (8 << 3) | wire::kFixed64:
      case (9 << 3) | wire::kFixed64: {
        double d;
        if (!r.ReadDouble(&d)) return false;
        if constexpr (kFull) t.*kDoubleFields[(tag >> 3) - 3] = d;
        break;
      }
      case (10 << 3) | wire::kLengthDelimited:
        if (!r.ReadLengthDelimited(&s)) return false;
        if constexpr (kFull) {
          if (t.exchange) {
            t.exchange->assign(s);
          } else {
            t.exchange.emplace(s);
          }
        }
        break;
      case (11 << 3) | wire::kLengthDelimited:
        if (!r.ReadLengthDelimited(&s)) return false;
        if constexpr (kFull) t.conditions.emplace_back(s);
        break;
      case (12 << 3) | wire::kVarint:
        if (!r.ReadVarint(&v)) return false;
        if constexpr (kFull) t.sequence = v;
        break;
      case (13 << 3) | wire::kVarint:
      case (14 << 3) | wire::kVarint:
      case (15 << 3) | wire::kVarint:
      case (16 << 3) | wire::kVarint:
        if (!r.ReadVarint(&v)) return false;
        if constexpr (kFull) t.*kBoolFields[(tag >> 3) - 13] = (v != 0);
        break;
      case (17 << 3) | wire::kVarint:
        if (!r.ReadVarint(&v)) return false;
        if constexpr (kFull) t.unix_time = static_cast<std::int64_t>(v);
        break;
      default:
        if (!r.SkipTag(tag)) return false;
        break;
    }
  }
  return true;
}

}  // namespace

void EncodeTickMessage(const Tick& t, Checksum checksum, std::string& out) {
  std::size_t strings = t.stream_id.size() + (t.exchange ? t.exchange->size() : 0);
  for (const std::string& c : t.conditions) strings += c.size() + 1 + wire::kMaxVarintBytes;
  const std::size_t start = out.size();
  out.resize(start + kFixedBound + strings);
  char* const base = out.data() + start;
  char* p = base;

  p = PutString(p, kTagType, "tick");
  if (!t.stream_id.empty()) p = PutString(p, kTagStreamId, t.stream_id);

  std::int64_t seconds;
  std::int32_t nanos;
  SplitTimeUs(t.timestamp_us, &seconds, &nanos);
  *p++ = kTagTimestamp;
  char* const ts_len = p++;
  char* const ts_body = p;
  if (seconds != 0) {
    *p++ = kTagSeconds;
    p = wire::PutVarint(p, static_cast<std::uint64_t>(seconds));
  }
  if (nanos != 0) {
    *p++ = kTagNanos;
    p = wire::PutVarint(p, static_cast<std::uint64_t>(nanos));
  }
  *ts_len = static_cast<char>(p - ts_body);  // at most 16 bytes: one length byte

  *p++ = kTagTickData;
  char* const td_len = p++;
  char* const td_body = p;
  p = EncodeTickData(t, p);
  const auto td_size = static_cast<std::size_t>(p - td_body);
  if (td_size < 0x80) {
    *td_len = static_cast<char>(td_size);
  } else {  // long strings: the length needs more than one byte; shift the body up
    const std::size_t extra = wire::VarintSize(td_size) - 1;
    std::memmove(td_body + extra, td_body, td_size);
    p += extra;
    wire::PutVarint(td_len, td_size);
  }

  if (t.arrival_seq != 0) {
    *p++ = kTagArrival;
    p = wire::PutVarint(p, t.arrival_seq);
  }
  if (checksum == Checksum::kCrc32c) {
    const std::uint32_t crc = Crc32c(std::string_view(base, static_cast<std::size_t>(p - base)));
    *p++ = kTagCrc;
    p = wire::PutFixed32(p, crc);
  }
  out.resize(start + static_cast<std::size_t>(p - base));
}

namespace {

// The one decoder behind DecodeTickMessageInto (kFull) and DecodeTickKeyInto:
// both read and check every byte alike, so they accept exactly the same bodies.
template <bool kFull>
Status DecodeInto(std::string_view body, ChecksumPolicy policy, Tick& tick, std::size_t* payload_size) {
  tick.timestamp_us = 0;
  tick.arrival_seq = 0;
  if constexpr (kFull) {
    tick.stream_id.clear();
    ResetTickData(tick);
  } else {
    tick.contract_id = 0;
    tick.tick_type = TickType::kBidAsk;
  }

  bool is_tick_type = false;          // StreamMessage.type == "tick"
  std::uint32_t oneof_case = 0;       // the last message_data member seen (4 = tick_data)
  bool tick_type_ok = false;
  std::int64_t seconds = 0;
  std::int32_t nanos = 0;
  bool crc_is_last = false;
  std::size_t crc_offset = 0;

  WireReader r(body);
  while (!r.done()) {
    const char* field_start = r.pos();
    crc_is_last = false;
    std::uint32_t tag;
    if (!r.ReadRawTag(&tag)) return Bad("malformed protobuf (bad tag)");
    std::string_view s;
    std::uint64_t v;
    switch (tag) {
      case kTagType:
        if (!r.ReadLengthDelimited(&s)) return Bad("malformed protobuf (bad length)");
        is_tick_type = (s == "tick");
        break;
      case kTagStreamId:
        if (!r.ReadLengthDelimited(&s)) return Bad("malformed protobuf (bad length)");
        if constexpr (kFull) tick.stream_id.assign(s);
        break;
      case kTagTimestamp:
        if (!r.ReadLengthDelimited(&s) || !ParseTimestampMessage(s, &seconds, &nanos)) {
          return Bad("malformed timestamp");
        }
        break;
      case kTagTickData:
        if (!r.ReadLengthDelimited(&s)) return Bad("malformed protobuf (bad length)");
        if (oneof_case != 0 && oneof_case != 4) {
          // Switching oneof member back to tick_data: protobuf starts a fresh TickData.
          if constexpr (kFull) {
            ResetTickData(tick);
          } else {
            tick.contract_id = 0;
            tick.tick_type = TickType::kBidAsk;
          }
          tick_type_ok = false;
        }
        oneof_case = 4;
        if (!ParseTickData<kFull>(s, tick, &tick_type_ok)) return Bad("malformed tick_data");
        break;
      case kTagErrorData:
      case kTagCompleteData:
      case kTagInfoData:
        if (!r.ReadLengthDelimited(&s)) return Bad("malformed protobuf (bad length)");
        oneof_case = tag >> 3;
        break;
      case kTagArrival:
        if (!r.ReadVarint(&v)) return Bad("malformed protobuf (bad varint)");
        tick.arrival_seq = v;
        break;
      case kTagCrc: {
        std::uint32_t stored;
        if (!r.ReadFixed32(&stored)) return Bad("malformed protobuf (torn checksum)");
        crc_offset = static_cast<std::size_t>(field_start - body.data());
        if (Crc32c(body.substr(0, crc_offset)) != stored) return Bad("bad checksum");
        crc_is_last = true;
        break;
      }
      default:
        if (!r.SkipTag(tag)) return Bad("malformed protobuf (bad field)");
        break;
    }
  }

  if (policy == ChecksumPolicy::kRequire && !crc_is_last) return Bad("missing checksum");
  if (!is_tick_type || oneof_case != 4) return Bad("not a tick");
  if (!tick_type_ok) return Bad("missing or unknown tick_type");
  const std::optional<TimeUs> ts = JoinTimestamp(seconds, nanos);
  if (!ts) return Bad("timestamp out of range");
  tick.timestamp_us = *ts;
  if (payload_size) *payload_size = crc_is_last ? crc_offset : body.size();
  return Status::Ok();
}

}  // namespace

Status DecodeTickMessageInto(std::string_view body, ChecksumPolicy policy, Tick& tick,
                             std::size_t* payload_size) {
  return DecodeInto<true>(body, policy, tick, payload_size);
}

Status DecodeTickKeyInto(std::string_view body, ChecksumPolicy policy, Tick& tick, std::size_t* payload_size) {
  return DecodeInto<false>(body, policy, tick, payload_size);
}

Result<Tick> DecodeTickMessage(std::string_view body, ChecksumPolicy policy) {
  Tick tick;
  Status s = DecodeTickMessageInto(body, policy, tick);
  if (!s.ok()) return s;
  return tick;
}

std::string_view StripChecksum(std::string_view body) {
  if (body.size() < kCrcFieldBytes || body[body.size() - kCrcFieldBytes] != kTagCrc) return body;
  const std::string_view payload = body.substr(0, body.size() - kCrcFieldBytes);
  if (Crc32c(payload) != wire::LoadFixed32(body.data() + payload.size() + 1)) return body;
  return payload;
}

}  // namespace ibr::format
