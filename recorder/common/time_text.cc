// ISO-8601 timestamps and durations as text.
#include "common/time_text.h"

#include <cstdio>

namespace ibr {
namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void CivilFromDays(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

std::optional<TimeUs> ParseIsoTimestamp(std::string_view s) {
  int Y, M, D, h = 0, mi = 0, sec = 0;
  if (!Digits(s, 0, 4, Y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, M) || s[7] != '-' ||
      !Digits(s, 8, 2, D)) {
    return std::nullopt;
  }
  if (M < 1 || M > 12 || D < 1 || D > 31) return std::nullopt;
  static const int kDaysIn[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
  if (D > kDaysIn[M - 1] || (M == 2 && D == 29 && !leap)) return std::nullopt;
  size_t p = 10;
  std::int64_t frac_us = 0;
  if (p < s.size() && (s[p] == 'T' || s[p] == ' ')) {
    ++p;
    if (!Digits(s, p, 2, h) || p + 2 >= s.size() + 0 || s.size() < p + 5 || s[p + 2] != ':' ||
        !Digits(s, p + 3, 2, mi)) {
      return std::nullopt;
    }
    p += 5;
    if (p < s.size() && s[p] == ':') {
      if (!Digits(s, p + 1, 2, sec)) return std::nullopt;
      p += 3;
      if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
        ++p;
        size_t start = p;
        std::int64_t scale = 100000;
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
          if (scale > 0) frac_us += (s[p] - '0') * scale;
          scale /= 10;
          ++p;
        }
        if (p == start || p - start > 9) return std::nullopt;
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  }
  std::int64_t offset_s = 0;
  if (p < s.size()) {
    if (s[p] == 'Z' || s[p] == 'z') {
      ++p;
    } else if (s[p] == '+' || s[p] == '-') {
      int oh, om = 0;
      if (!Digits(s, p + 1, 2, oh)) return std::nullopt;
      size_t q = p + 3;
      if (q < s.size() && s[q] == ':') ++q;
      if (q < s.size()) {
        if (!Digits(s, q, 2, om)) return std::nullopt;
        q += 2;
      }
      if (oh > 23 || om > 59) return std::nullopt;
      offset_s = (oh * 3600 + om * 60) * (s[p] == '-' ? -1 : 1);
      p = q;
    }
  }
  if (p != s.size()) return std::nullopt;
  std::int64_t days = DaysFromCivil(Y, static_cast<unsigned>(M), static_cast<unsigned>(D));
  std::int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_s;
  return secs * kUsPerSecond + frac_us;
}

void AppendIsoTimestamp(std::string& out, TimeUs t) {
  std::int64_t secs = t / kUsPerSecond;
  std::int64_t us = t % kUsPerSecond;
  if (us < 0) {
    us += kUsPerSecond;
    --secs;
  }
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  char buf[40];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ", y, m, d,
                        static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                        static_cast<int>(rem % 60), static_cast<int>(us));
  out.append(buf, static_cast<size_t>(n));
}

std::string FormatIsoTimestamp(TimeUs t) {
  std::string s;
  AppendIsoTimestamp(s, t);
  return s;
}

std::string FormatIsoDate(TimeUs t) { return FormatIsoTimestamp(t).substr(0, 10); }

Result<TimeUs> ParseDuration(std::string_view s) {
  auto bad = [&](const char* why) {
    return Status::InvalidArgument("invalid duration '" + std::string(s) + "': " + why +
                                   " (expected N(w|d|h|m|s) combinations such as 1w, 3h, 2h30m, 90s)");
  };
  if (s.empty()) return bad("empty");
  static const char kUnits[] = "wdhms";
  static const TimeUs kScale[] = {7 * kUsPerDay, kUsPerDay, kUsPerHour, kUsPerMinute, kUsPerSecond};
  TimeUs total = 0;
  int last_unit = -1;
  size_t p = 0;
  while (p < s.size()) {
    size_t start = p;
    std::int64_t n = 0;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      n = n * 10 + (s[p] - '0');
      if (n > 100'000'000) return bad("number too large");
      ++p;
    }
    if (p == start) return bad("expected a number");
    if (p == s.size()) return bad("missing unit");
    int unit = -1;
    for (int i = 0; i < 5; ++i) {
      if (s[p] == kUnits[i]) unit = i;
    }
    if (unit < 0) return bad("unknown unit");
    if (unit <= last_unit) return bad("units must go from largest to smallest, each once");
    last_unit = unit;
    constexpr TimeUs kMaxTotal = 100LL * 366 * kUsPerDay;  // a century is plenty
    if (n > (kMaxTotal - total) / kScale[unit]) return bad("longer than 100 years");
    total += n * kScale[unit];
    ++p;
  }
  if (total <= 0) return bad("must be positive");
  return total;
}

Result<TimeUs> ParseUserTime(std::string_view s) {
  auto t = ParseIsoTimestamp(s);
  if (!t) {
    return Status::InvalidArgument("invalid time '" + std::string(s) +
                                   "' (expected ISO-8601 such as 2025-03-10T14:30:00Z or 2025-03-10)");
  }
  return *t;
}

}  // namespace ibr
