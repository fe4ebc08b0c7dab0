// Value text: number and string formatting for the encoders.
#include "query/value_text.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "common/time_text.h"

namespace ibr::query {

void AppendDouble(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out.append("null");
    return;
  }
  char buf[64];
  double a = std::fabs(v);
  if (a == 0.0 || (a >= 1e-4 && a < 1e16)) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    (void)ec;  // 64 bytes always suffice below 1e16
    out.append(buf, static_cast<std::size_t>(end - buf));
    if (std::memchr(buf, '.', static_cast<std::size_t>(end - buf)) == nullptr) out.append(".0");
    return;
  }
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  (void)ec;
  out.append(buf, static_cast<std::size_t>(end - buf));
}

void AppendUint(std::string& out, std::uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, static_cast<std::size_t>(end - buf));
}

void AppendInt(std::string& out, std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, static_cast<std::size_t>(end - buf));
}

void AppendJsonString(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the current run of characters needing no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      default: {
        char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(esc, sizeof esc);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void TimestampText::Append(std::string& out, TimeUs t) {
  TimeUs us = t % kUsPerSecond;
  if (us < 0) us += kUsPerSecond;
  TimeUs second = t - us;
  if (second != cached_second_) {
    scratch_.clear();
    AppendIsoTimestamp(scratch_, second);         // "YYYY-MM-DDTHH:MM:SS.000000Z"
    std::size_t len = scratch_.size() - 7;        // up to and including '.'
    if (len > sizeof prefix_) {                   // years beyond 9999: no caching
      AppendIsoTimestamp(out, t);
      return;
    }
    std::memcpy(prefix_, scratch_.data(), len);
    prefix_len_ = len;
    cached_second_ = second;
  }
  char tail[7];
  auto u = static_cast<unsigned>(us);
  for (int i = 5; i >= 0; --i) {
    tail[i] = static_cast<char>('0' + u % 10);
    u /= 10;
  }
  tail[6] = 'Z';
  out.append(prefix_, prefix_len_);
  out.append(tail, sizeof tail);
}

}  // namespace ibr::query
