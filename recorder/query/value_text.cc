// Value text: number and string formatting for the encoders.
#include "query/value_text.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "common/time_text.h"

namespace ibr::query {
namespace {

template <typename F>
void AppendVia(std::string& out, std::size_t max, F write) {
  const std::size_t old = out.size();
  out.resize(old + max);
  char* end = write(out.data() + old);
  out.resize(static_cast<std::size_t>(end - out.data()));
}

}  // namespace

namespace {

constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
constexpr int kMaxFastDecimals = 9;
// Below this, v * 10^k has one double per integer step (< 2^52), so at most one
// decimal with k fractional digits reads back as v.
constexpr double kMaxFastScaled = 4e15;

char* WriteDigits(char* p, std::uint64_t m, int decimals) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + m % 10);
    m /= 10;
  } while (m != 0);
  while (n <= decimals) tmp[n++] = '0';  // at least one digit before the point
  for (int i = n - 1; i >= decimals; --i) *p++ = tmp[i];
  *p++ = '.';
  if (decimals == 0) {
    *p++ = '0';
    return p;
  }
  for (int i = decimals - 1; i >= 0; --i) *p++ = tmp[i];
  return p;
}

// Prices and sizes have few decimals: v = m / 10^k for the smallest such k
// (checked exactly: m and 10^k are exact doubles, the division rounds
// correctly) is the shortest text that reads back as v, i.e. what
// std::to_chars gives, without its general algorithm. False when v is not
// such a number.
bool WriteFewDecimals(char*& p, double v) {
  const double a = v < 0 ? -v : v;
  if (!(a >= 1e-4) || a >= 1e15) return false;  // (NaN fails the first test)
  for (int k = 0; k <= kMaxFastDecimals; ++k) {
    const double scaled = a * kPow10[k];
    if (scaled >= kMaxFastScaled) return false;
    const double m = std::nearbyint(scaled);
    // Cheap filter first (the product is off by at most a rounding step),
    // then the exact test, which needs a division.
    if (std::fabs(scaled - m) > scaled * 0x1p-50 || m / kPow10[k] != a) continue;
    if (v < 0) *p++ = '-';
    p = WriteDigits(p, static_cast<std::uint64_t>(m), k);
    return true;
  }
  return false;
}

}  // namespace

char* WriteDouble(char* p, double v) {
  if (WriteFewDecimals(p, v)) return p;
  if (!std::isfinite(v)) {
    std::memcpy(p, "null", 4);
    return p + 4;
  }
  const double a = std::fabs(v);
  if (a == 0.0 || (a >= 1e-4 && a < 1e16)) {
    // Fixed notation below 1e16 needs at most 17 significant digits + sign +
    // point + 4 leading zeros: well inside kMaxDoubleText.
    char* end = std::to_chars(p, p + kMaxDoubleText, v, std::chars_format::fixed).ptr;
    for (char* q = p; q < end; ++q) {
      if (*q == '.') return end;
    }
    end[0] = '.';
    end[1] = '0';
    return end + 2;
  }
  return std::to_chars(p, p + kMaxDoubleText, v, std::chars_format::scientific).ptr;
}

char* WriteUint(char* p, std::uint64_t v) { return std::to_chars(p, p + kMaxIntText, v).ptr; }

char* WriteInt(char* p, std::int64_t v) { return std::to_chars(p, p + kMaxIntText, v).ptr; }

char* WriteJsonString(char* p, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  *p++ = '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != '"' && c != '\\') {
      *p++ = ch;
      continue;
    }
    *p++ = '\\';
    switch (c) {
      case '"': *p++ = '"'; break;
      case '\\': *p++ = '\\'; break;
      case '\n': *p++ = 'n'; break;
      case '\r': *p++ = 'r'; break;
      case '\t': *p++ = 't'; break;
      case '\b': *p++ = 'b'; break;
      case '\f': *p++ = 'f'; break;
      default:
        p[0] = 'u';
        p[1] = '0';
        p[2] = '0';
        p[3] = kHex[c >> 4];
        p[4] = kHex[c & 15];
        p += 5;
    }
  }
  *p++ = '"';
  return p;
}

void AppendDouble(std::string& out, double v) {
  AppendVia(out, kMaxDoubleText, [&](char* p) { return WriteDouble(p, v); });
}

void AppendUint(std::string& out, std::uint64_t v) {
  AppendVia(out, kMaxIntText, [&](char* p) { return WriteUint(p, v); });
}

void AppendInt(std::string& out, std::int64_t v) {
  AppendVia(out, kMaxIntText, [&](char* p) { return WriteInt(p, v); });
}

void AppendJsonString(std::string& out, std::string_view s) {
  AppendVia(out, MaxJsonStringText(s.size()), [&](char* p) { return WriteJsonString(p, s); });
}

char* TimestampText::Write(char* p, TimeUs t) {
  TimeUs us = t % kUsPerSecond;
  if (us < 0) us += kUsPerSecond;
  const TimeUs second = t - us;
  if (second != cached_second_) {
    scratch_.clear();
    AppendIsoTimestamp(scratch_, second);  // "YYYY-MM-DDTHH:MM:SS.000000Z"
    cacheable_ = scratch_.size() == kTimestampText;
    cached_second_ = second;
    if (cacheable_) std::memcpy(prefix_, scratch_.data(), sizeof prefix_);
  }
  if (!cacheable_) {  // years beyond 0000-9999: format in full
    scratch_.clear();
    AppendIsoTimestamp(scratch_, t);
    std::memcpy(p, scratch_.data(), scratch_.size());
    return p + scratch_.size();
  }
  std::memcpy(p, prefix_, sizeof prefix_);
  p += sizeof prefix_;
  auto u = static_cast<unsigned>(us);
  for (int i = 5; i >= 0; --i) {
    p[i] = static_cast<char>('0' + u % 10);
    u /= 10;
  }
  p[6] = 'Z';
  return p + 7;
}

void TimestampText::Append(std::string& out, TimeUs t) {
  AppendVia(out, 40, [&](char* p) { return Write(p, t); });
}

}  // namespace ibr::query
