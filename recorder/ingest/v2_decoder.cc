// V2Decoder: simdjson on-demand over one line. Two phases: a single pass over
// every field (fields come in any order, so nothing is interpreted until the
// pass ends; every value is read or validated, so malformed JSON anywhere is
// bad_json), then the checks in a fixed order that decides the reject reason.
#include "ingest/v2_decoder.h"

#include <simdjson.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "common/time_text.h"
#include "ingest/json_value_reader.h"
#include "ingest/upstream_names.h"

namespace ibr::ingest {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

static_assert(kLinePadding >= simdjson::SIMDJSON_PADDING,
              "callers' padding must satisfy simdjson");

constexpr TimeUs kMinTimestamp = 946684800LL * kUsPerSecond;  // 2000-01-01T00:00:00Z

// Everything the single pass may find. Views point into the line or into the
// parser's string buffer: valid until the next iterate().
struct Fields {
  StrSlot type, stream_id, timestamp;
  bool data_seen = false, data_is_object = false;
  // data
  IdSlot cid;
  StrSlot tick_type;
  NumSlot price, size, bid_price, bid_size, ask_price, ask_size, mid_price, midpoint;
  StrSlot exchange;
  ConditionsSlot conditions;
  UintSlot sequence;
  IntSlot unix_time;
  BoolSlot past_limit, unreported, bid_past_low, ask_past_high;
  StrSlot status, code, reason, config_tick_type;
  // metadata
  IdSlot meta_cid;
  StrSlot meta_tick_type;
  UintSlot meta_sequence;
};

enum class DataKey {
  kOther, kContractId, kTickType, kPrice, kSize, kBidPrice, kBidSize, kAskPrice, kAskSize,
  kMidPrice, kMidpoint, kExchange, kConditions, kSequence, kUnixTime, kPastLimit, kUnreported,
  kBidPastLow, kAskPastHigh, kStatus, kCode, kReason, kStreamConfig,
};

struct NamedKey {
  std::string_view name;
  DataKey key;
};
constexpr NamedKey kDataKeys[] = {
    {"contract_id", DataKey::kContractId}, {"tick_type", DataKey::kTickType},
    {"price", DataKey::kPrice},            {"size", DataKey::kSize},
    {"bid_price", DataKey::kBidPrice},     {"bid_size", DataKey::kBidSize},
    {"ask_price", DataKey::kAskPrice},     {"ask_size", DataKey::kAskSize},
    {"mid_price", DataKey::kMidPrice},     {"midpoint", DataKey::kMidpoint},
    {"exchange", DataKey::kExchange},      {"conditions", DataKey::kConditions},
    {"sequence", DataKey::kSequence},      {"unix_time", DataKey::kUnixTime},
    {"past_limit", DataKey::kPastLimit},   {"unreported", DataKey::kUnreported},
    {"bid_past_low", DataKey::kBidPastLow}, {"ask_past_high", DataKey::kAskPastHigh},
    {"status", DataKey::kStatus},          {"code", DataKey::kCode},
    {"reason", DataKey::kReason},          {"stream_config", DataKey::kStreamConfig},
};

DataKey ClassifyDataKey(std::string_view k) {
  for (const NamedKey& named : kDataKeys) {
    if (named.name == k) return named.key;
  }
  return DataKey::kOther;
}

// Short excerpt of offending input for `detail`.
std::string_view Excerpt(std::string_view s) { return s.substr(0, 40); }

}  // namespace

struct V2Decoder::Impl {
  od::parser parser;
  std::unique_ptr<char[]> copy{new char[kMaxLineBytes + kLinePadding]()};
  std::unique_ptr<simdjson::dom::parser> dom;  // only for lines that are not objects
  Fields f;
  std::vector<std::string_view> conditions;  // reused: no allocation once warm

  Impl() : parser(kMaxLineBytes + kLinePadding) {
    // Size the parser once so iterate() never allocates; on failure it grows lazily.
    simdjson::error_code ignored = parser.allocate(kMaxLineBytes + kLinePadding);
    (void)ignored;
  }

  error_code ReadData(od::value& v);
  error_code ReadStreamConfig(od::value& v);
  error_code ReadMetadata(od::value& v);
  error_code ReadRoot(od::object& root);
  void Decode(std::string_view line, TimeUs now, bool padded, DecodeResult& out);
  void FinishTick(TimeUs now, DecodeResult& out);
  void FinishLifecycle(std::string_view line, DecodeResult& out);
};

error_code V2Decoder::Impl::ReadStreamConfig(od::value& v) {
  bool is_object;
  return ForEachFieldIfObject(v, &is_object, [this](std::string_view key, od::value& val) {
    return key == "tick_type" ? ReadString(val, f.config_tick_type) : SkipValue(val);
  });
}

error_code V2Decoder::Impl::ReadData(od::value& v) {
  f.data_seen = true;
  return ForEachFieldIfObject(v, &f.data_is_object, [this](std::string_view key, od::value& val) {
    switch (ClassifyDataKey(key)) {
      case DataKey::kContractId: return ReadContractId(val, f.cid);
      case DataKey::kTickType: return ReadString(val, f.tick_type);
      case DataKey::kPrice: return ReadNumber(val, f.price);
      case DataKey::kSize: return ReadNumber(val, f.size);
      case DataKey::kBidPrice: return ReadNumber(val, f.bid_price);
      case DataKey::kBidSize: return ReadNumber(val, f.bid_size);
      case DataKey::kAskPrice: return ReadNumber(val, f.ask_price);
      case DataKey::kAskSize: return ReadNumber(val, f.ask_size);
      case DataKey::kMidPrice: return ReadNumber(val, f.mid_price);
      case DataKey::kMidpoint: return ReadNumber(val, f.midpoint);
      case DataKey::kExchange: return ReadString(val, f.exchange);
      case DataKey::kConditions: return ReadConditions(val, f.conditions, conditions);
      case DataKey::kSequence: return ReadUnsigned(val, f.sequence);
      case DataKey::kUnixTime: return ReadWholeSeconds(val, f.unix_time);
      case DataKey::kPastLimit: return ReadFlag(val, f.past_limit);
      case DataKey::kUnreported: return ReadFlag(val, f.unreported);
      case DataKey::kBidPastLow: return ReadFlag(val, f.bid_past_low);
      case DataKey::kAskPastHigh: return ReadFlag(val, f.ask_past_high);
      case DataKey::kStatus: return ReadString(val, f.status);
      case DataKey::kCode: return ReadString(val, f.code);
      case DataKey::kReason: return ReadString(val, f.reason);
      case DataKey::kStreamConfig: return ReadStreamConfig(val);
      case DataKey::kOther: break;
    }
    return SkipValue(val);
  });
}

error_code V2Decoder::Impl::ReadMetadata(od::value& v) {
  bool is_object;
  return ForEachFieldIfObject(v, &is_object, [this](std::string_view key, od::value& val) {
    if (key == "contract_id") return ReadContractId(val, f.meta_cid);
    if (key == "tick_type") return ReadString(val, f.meta_tick_type);
    if (key == "sequence") return ReadUnsigned(val, f.meta_sequence);
    return SkipValue(val);
  });
}

error_code V2Decoder::Impl::ReadRoot(od::object& root) {
  return ForEachField(root, [this](std::string_view key, od::value& val) {
    if (key == "type") return ReadString(val, f.type);
    if (key == "data") return ReadData(val);
    if (key == "timestamp") return ReadString(val, f.timestamp);
    if (key == "stream_id") return ReadString(val, f.stream_id);
    if (key == "metadata") return ReadMetadata(val);
    return SkipValue(val);
  });
}

namespace {

void Reject(DecodeResult& out, RejectReason reason, std::string_view a, std::string_view b = {},
            std::string_view c = {}) {
  out.kind = DecodeResult::Kind::kReject;
  out.reason = reason;
  out.detail.assign(a);
  out.detail.append(b);
  out.detail.append(c);
}

// Checks one required numeric field; false (and `out` a reject) when unusable.
bool Required(const NumSlot& s, std::string_view name, std::optional<double>& dst, DecodeResult& out) {
  switch (s.state) {
    case Num::kOk:
      dst = s.value;
      return true;
    case Num::kAbsent:
      Reject(out, RejectReason::kMissingField, "missing field ", name);
      return false;
    case Num::kNull:
      Reject(out, RejectReason::kMissingField, "field ", name, " is null");
      return false;
    case Num::kNotNumber:
      Reject(out, RejectReason::kNotNumeric, name, " is not a number: ", Excerpt(s.raw));
      return false;
    case Num::kNotFinite:
      Reject(out, RejectReason::kNotFinite, name, " is not finite: ", Excerpt(s.raw));
      return false;
  }
  return false;
}

bool Present(const StrSlot& s) { return s.state != Str::kAbsent && s.state != Str::kNull; }
bool Present(const IdSlot& s) { return s.state != Id::kAbsent && s.state != Id::kNull; }
bool Given(Opt s) { return s != Opt::kAbsent && s != Opt::kNull; }

// The first C0 control character (U+0000..U+001F) in `s`, if any. JSON only
// lets them in through escapes, so callers check escaped text only.
std::optional<unsigned char> FirstControl(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20) return c;
  }
  return std::nullopt;
}

void RejectControl(DecodeResult& out, std::string_view name, unsigned char c) {
  static const char kHex[] = "0123456789ABCDEF";
  const char code[] = {'U', '+', '0', '0', kHex[c >> 4], kHex[c & 15], '\0'};
  Reject(out, RejectReason::kBadValue, name, " holds a control character ", code);
}

// An optional text field: absent, null or a string without control characters.
bool CheckText(const StrSlot& s, std::string_view name, DecodeResult& out) {
  if (s.state == Str::kOther) {
    Reject(out, RejectReason::kBadValue, name, " is not a string: ", Excerpt(s.text));
    return false;
  }
  if (s.state == Str::kOk && s.unescaped) {
    if (auto c = FirstControl(s.text)) {
      RejectControl(out, name, *c);
      return false;
    }
  }
  return true;
}

bool CheckFlag(const BoolSlot& s, std::string_view name, std::optional<bool>& dst, DecodeResult& out) {
  if (s.state == Opt::kBad) {
    Reject(out, RejectReason::kBadValue, name, " is not true or false: ", Excerpt(s.raw));
    return false;
  }
  dst.reset();
  if (s.state == Opt::kOk) dst = s.value;
  return true;
}

}  // namespace

void V2Decoder::Impl::FinishTick(TimeUs now, DecodeResult& out) {
  if (!f.data_seen) return Reject(out, RejectReason::kMissingField, "missing field data");
  if (!f.data_is_object) return Reject(out, RejectReason::kMissingField, "data is not an object");

  const IdSlot& cid = Present(f.cid) ? f.cid : f.meta_cid;
  if (!Present(cid)) return Reject(out, RejectReason::kMissingField, "missing field contract_id");
  if (cid.state != Id::kOk) {
    return Reject(out, RejectReason::kBadContractId, "bad contract_id: ", Excerpt(cid.raw));
  }

  const StrSlot& tts = Present(f.tick_type) ? f.tick_type : f.meta_tick_type;
  if (!Present(tts)) return Reject(out, RejectReason::kMissingField, "missing field tick_type");
  std::optional<TickType> tt;
  if (tts.state == Str::kOk) tt = ParseUpstreamTickType(tts.text);
  if (!tt) return Reject(out, RejectReason::kUnknownTickType, "unknown tick_type: ", Excerpt(tts.text));

  if (!Present(f.timestamp)) return Reject(out, RejectReason::kMissingField, "missing field timestamp");
  std::optional<TimeUs> ts;
  if (f.timestamp.state == Str::kOk) ts = ParseIsoTimestamp(f.timestamp.text);
  if (!ts) return Reject(out, RejectReason::kBadTimestamp, "bad timestamp: ", Excerpt(f.timestamp.text));
  if (*ts < kMinTimestamp || *ts > now + kUsPerDay) {
    return Reject(out, RejectReason::kTimestampOutOfRange, "timestamp out of range: ",
                  Excerpt(f.timestamp.text));
  }

  Tick& t = out.tick;
  t.price.reset();
  t.size.reset();
  t.bid_price.reset();
  t.bid_size.reset();
  t.ask_price.reset();
  t.ask_size.reset();
  t.mid_price.reset();
  switch (*tt) {
    case TickType::kBidAsk:
      if (!Required(f.bid_price, "bid_price", t.bid_price, out) ||
          !Required(f.bid_size, "bid_size", t.bid_size, out) ||
          !Required(f.ask_price, "ask_price", t.ask_price, out) ||
          !Required(f.ask_size, "ask_size", t.ask_size, out)) {
        return;
      }
      break;
    case TickType::kLast:
    case TickType::kAllLast:
      if (!Required(f.price, "price", t.price, out) || !Required(f.size, "size", t.size, out)) return;
      break;
    case TickType::kMidPoint: {
      // The spec says mid_price, the real server says midpoint.
      auto given = [](const NumSlot& s) { return s.state != Num::kAbsent && s.state != Num::kNull; };
      bool use_mid_price = given(f.mid_price) || !given(f.midpoint);
      if (!Required(use_mid_price ? f.mid_price : f.midpoint, "mid_price", t.mid_price, out)) return;
      break;
    }
  }

  // Optional fields: absent or null is "not given"; anything else must be usable.
  if (!CheckText(f.stream_id, "stream_id", out) || !CheckText(f.exchange, "exchange", out)) return;
  if (f.conditions.state == Opt::kBad) {
    return Reject(out, RejectReason::kBadValue, "conditions is not a string or a list of strings: ",
                  Excerpt(f.conditions.raw));
  }
  if (f.conditions.unescaped) {
    for (std::string_view c : conditions) {
      if (auto ch = FirstControl(c)) return RejectControl(out, "conditions", *ch);
    }
  }
  const bool seq_in_data = Given(f.sequence.state);
  const UintSlot& seq = seq_in_data ? f.sequence : f.meta_sequence;
  if (seq.state == Opt::kBad) {
    return Reject(out, RejectReason::kNotNumeric, seq_in_data ? "sequence" : "metadata.sequence",
                  " is not a whole number from 0 to 18446744073709551615: ", Excerpt(seq.raw));
  }
  if (f.unix_time.state == Opt::kBad) {
    return Reject(out, RejectReason::kNotNumeric, "unix_time is not a whole number of seconds: ",
                  Excerpt(f.unix_time.raw));
  }
  if (f.unix_time.state == Opt::kOutOfRange ||
      (f.unix_time.state == Opt::kOk && (f.unix_time.value < kMinTimestamp / kUsPerSecond ||
                                         f.unix_time.value > (now + kUsPerDay) / kUsPerSecond))) {
    return Reject(out, RejectReason::kTimestampOutOfRange, "unix_time out of range: ", Excerpt(f.unix_time.raw));
  }
  if (!CheckFlag(f.past_limit, "past_limit", t.past_limit, out) ||
      !CheckFlag(f.unreported, "unreported", t.unreported, out) ||
      !CheckFlag(f.bid_past_low, "bid_past_low", t.bid_past_low, out) ||
      !CheckFlag(f.ask_past_high, "ask_past_high", t.ask_past_high, out)) {
    return;
  }

  out.kind = DecodeResult::Kind::kTick;
  t.timestamp_us = *ts;
  t.arrival_seq = 0;
  t.contract_id = cid.value;
  t.tick_type = *tt;
  if (f.stream_id.state == Str::kOk) {
    t.stream_id.assign(f.stream_id.text);
  } else {
    t.stream_id.clear();
  }
  if (f.exchange.state == Str::kOk) {
    t.exchange.emplace(f.exchange.text);
  } else {
    t.exchange.reset();
  }
  t.conditions.clear();
  for (std::string_view c : conditions) t.conditions.emplace_back(c);
  t.sequence.reset();
  if (seq.state == Opt::kOk) t.sequence = seq.value;
  t.unix_time.reset();
  if (f.unix_time.state == Opt::kOk) t.unix_time = f.unix_time.value;
}

void V2Decoder::Impl::FinishLifecycle(std::string_view line, DecodeResult& out) {
  out.kind = DecodeResult::Kind::kLifecycle;
  LifecycleEvent& ev = out.lifecycle;
  ev.type.assign(f.type.text);
  if (f.stream_id.state == Str::kOk) {
    ev.stream_id.assign(f.stream_id.text);
  } else {
    ev.stream_id.clear();
  }
  std::optional<TimeUs> ts;
  if (f.timestamp.state == Str::kOk) ts = ParseIsoTimestamp(f.timestamp.text);
  ev.timestamp = ts.value_or(0);

  StreamIdParts from_id = ParseStreamId(ev.stream_id);
  ev.contract_id.reset();
  if (f.cid.state == Id::kOk) {
    ev.contract_id = f.cid.value;
  } else if (f.meta_cid.state == Id::kOk) {
    ev.contract_id = f.meta_cid.value;
  } else {
    ev.contract_id = from_id.contract_id;
  }
  ev.tick_type.reset();
  for (const StrSlot* s : {&f.tick_type, &f.config_tick_type, &f.meta_tick_type}) {
    if (s->state == Str::kOk && (ev.tick_type = ParseUpstreamTickType(s->text))) break;
  }
  if (!ev.tick_type) ev.tick_type = from_id.tick_type;

  const StrSlot& code = ev.type == "info" ? f.status : ev.type == "error" ? f.code : f.reason;
  if (code.state == Str::kOk) {
    ev.code.assign(code.text);
  } else {
    ev.code.clear();
  }
  ev.raw.assign(line);
}

void V2Decoder::Impl::Decode(std::string_view line, TimeUs now, bool padded, DecodeResult& out) {
  out.detail.clear();
  if (line.size() > kMaxLineBytes) {
    return Reject(out, RejectReason::kLineTooLong, "line longer than 65536 bytes");
  }
  // A UTF-8 byte order mark (files saved by Windows tools; concatenated ones):
  // not part of the JSON.
  if (line.size() >= 3 && std::memcmp(line.data(), "\xEF\xBB\xBF", 3) == 0) line.remove_prefix(3);
  const char* buf = line.data();
  if (!padded) {
    if (!line.empty()) std::memcpy(copy.get(), line.data(), line.size());
    // Fixed padding: simdjson peeks at it on some error paths (its issue #1834).
    std::memset(copy.get() + line.size(), ' ', kLinePadding);
    buf = copy.get();
  }
  f = Fields{};
  conditions.clear();

  od::document doc;
  if (parser.iterate(buf, line.size(), line.size() + kLinePadding).get(doc)) {
    return Reject(out, RejectReason::kBadJson, "not JSON");
  }
  od::json_type root_type;
  if (doc.type().get(root_type)) return Reject(out, RejectReason::kBadJson, "not JSON");
  if (root_type != od::json_type::object) {
    // Rare: tell a valid non-object from garbage with a full DOM parse.
    if (!dom) dom = std::make_unique<simdjson::dom::parser>();
    simdjson::dom::element ignored;
    if (dom->parse(reinterpret_cast<const std::uint8_t*>(buf), line.size(), false).get(ignored)) {
      return Reject(out, RejectReason::kBadJson, "not JSON");
    }
    return Reject(out, RejectReason::kNotObject, "JSON value is not an object");
  }
  od::object root;
  error_code e = doc.get_object().get(root);
  if (!e) e = ReadRoot(root);
  if (e == simdjson::DEPTH_ERROR) {
    return Reject(out, RejectReason::kBadJson, "JSON nested too deeply (limit: 64 levels in a field)");
  }
  if (e) return Reject(out, RejectReason::kBadJson, "not JSON");
  const char* trailing;
  if (doc.current_location().get(trailing) == SUCCESS) {
    // Text after the object. (Same detail as other JSON errors: which error
    // simdjson finds first may depend on the bytes after the line.)
    return Reject(out, RejectReason::kBadJson, "not JSON");
  }

  if (f.type.state != Str::kOk) {
    return Reject(out, RejectReason::kUnknownType,
                  Present(f.type) ? "type is not a string" : "missing field type");
  }
  std::string_view type = f.type.text;
  if (type == "tick") return FinishTick(now, out);
  if (type == "heartbeat") {
    out.kind = DecodeResult::Kind::kHeartbeat;
    return;
  }
  if (type == "info" || type == "error" || type == "complete") return FinishLifecycle(line, out);
  Reject(out, RejectReason::kUnknownType, "unknown type: ", Excerpt(type));
}

V2Decoder::V2Decoder() : impl_(std::make_unique<Impl>()) {}
V2Decoder::~V2Decoder() = default;

DecodeResult V2Decoder::Decode(std::string_view line, TimeUs now, bool padded) {
  DecodeResult out;
  impl_->Decode(line, now, padded, out);
  return out;
}

void V2Decoder::Decode(std::string_view line, TimeUs now, bool padded, DecodeResult& out) {
  impl_->Decode(line, now, padded, out);
}

}  // namespace ibr::ingest
