// TickJson: the v2 tick message object, written through one raw pointer into
// space reserved once per tick (no capacity check per piece).
#include "query/tick_json.h"

#include <cstring>
#include <optional>
#include <string_view>

namespace ibr::query {
namespace {

// Literal keys are copied with a compile-time length.
template <std::size_t N>
inline char* Lit(char* p, const char (&s)[N]) {
  std::memcpy(p, s, N - 1);
  return p + N - 1;
}

template <std::size_t N>
inline char* Num(char* p, const char (&key)[N], const std::optional<double>& v) {
  return v ? WriteDouble(Lit(p, key), *v) : p;
}

template <std::size_t N>
inline char* Bool(char* p, const char (&key)[N], const std::optional<bool>& v) {
  if (!v) return p;
  p = Lit(p, key);
  return *v ? Lit(p, "true") : Lit(p, "false");
}

// Fixed parts: keys and punctuation (< 400 bytes), 7 doubles, 3 integers, the timestamp.
constexpr std::size_t kJsonFixedBound = 400 + 7 * kMaxDoubleText + 3 * kMaxIntText + kTimestampText + 16;

std::size_t Bound(const Tick& t) {
  std::size_t n = kJsonFixedBound + MaxJsonStringText(t.stream_id.size());
  if (t.exchange) n += MaxJsonStringText(t.exchange->size());
  for (const auto& c : t.conditions) n += MaxJsonStringText(c.size()) + 1;
  return n;
}

}  // namespace

void TickJsonWriter::Append(std::string& out, const Tick& t) {
  const std::size_t old = out.size();
  out.resize(old + Bound(t));
  char* p = out.data() + old;
  p = Lit(p, R"({"type":"tick","stream_id":)");
  p = WriteJsonString(p, t.stream_id);
  p = Lit(p, R"(,"timestamp":")");
  p = timestamp_.Write(p, t.timestamp_us);
  p = Lit(p, R"(","data":{"contract_id":)");
  p = WriteUint(p, t.contract_id);
  p = Lit(p, R"(,"tick_type":")");
  std::string_view tt = TickTypeName(t.tick_type);
  std::memcpy(p, tt.data(), tt.size());
  p += tt.size();
  *p++ = '"';
  p = Num(p, R"(,"price":)", t.price);
  p = Num(p, R"(,"size":)", t.size);
  p = Num(p, R"(,"bid_price":)", t.bid_price);
  p = Num(p, R"(,"bid_size":)", t.bid_size);
  p = Num(p, R"(,"ask_price":)", t.ask_price);
  p = Num(p, R"(,"ask_size":)", t.ask_size);
  p = Num(p, R"(,"mid_price":)", t.mid_price);
  if (t.exchange) p = WriteJsonString(Lit(p, R"(,"exchange":)"), *t.exchange);
  if (!t.conditions.empty()) {
    p = Lit(p, R"(,"conditions":[)");
    for (std::size_t i = 0; i < t.conditions.size(); ++i) {
      if (i != 0) *p++ = ',';
      p = WriteJsonString(p, t.conditions[i]);
    }
    *p++ = ']';
  }
  p = Bool(p, R"(,"past_limit":)", t.past_limit);
  p = Bool(p, R"(,"unreported":)", t.unreported);
  p = Bool(p, R"(,"bid_past_low":)", t.bid_past_low);
  p = Bool(p, R"(,"ask_past_high":)", t.ask_past_high);
  if (t.sequence) p = WriteUint(Lit(p, R"(,"sequence":)"), *t.sequence);
  if (t.unix_time) p = WriteInt(Lit(p, R"(,"unix_time":)"), *t.unix_time);
  *p++ = '}';
  if (options_.historical) p = Lit(p, R"(,"metadata":{"historical":true})");
  *p++ = '}';
  out.resize(static_cast<std::size_t>(p - out.data()));
}

}  // namespace ibr::query
