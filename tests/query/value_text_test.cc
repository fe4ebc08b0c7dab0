// Value text: double formatting round-trips, JSON escapes, cached timestamps.
#include "query/value_text.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>

#include "common/time_text.h"

namespace ibr::query {
namespace {

std::string D(double v) {
  std::string s;
  AppendDouble(s, v);
  return s;
}

TEST(ValueTextTest, DoublesAreShortestWithADecimal) {
  EXPECT_EQ(D(8.0), "8.0");
  EXPECT_EQ(D(229.95), "229.95");
  EXPECT_EQ(D(23260.5), "23260.5");
  EXPECT_EQ(D(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(D(0.0), "0.0");
  EXPECT_EQ(D(-0.0), "-0.0");
  EXPECT_EQ(D(-1.5), "-1.5");
  EXPECT_EQ(D(123456789.0), "123456789.0");
  EXPECT_EQ(D(0.0001), "0.0001");
  EXPECT_EQ(D(1e-05), "1e-05");
  EXPECT_EQ(D(1e16), "1e+16");
  EXPECT_EQ(D(1.5e20), "1.5e+20");
  EXPECT_EQ(D(std::nan("")), "null");
  EXPECT_EQ(D(std::numeric_limits<double>::infinity()), "null");
}

TEST(ValueTextTest, DoublesRoundTrip) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> price(0.0, 100000.0);
  for (int i = 0; i < 20000; ++i) {
    double v = i % 2 ? price(rng) : std::round(price(rng) * 100) / 100;
    std::string s = D(v);
    EXPECT_EQ(std::strtod(s.c_str(), nullptr), v) << s;
    EXPECT_TRUE(s.find('.') != std::string::npos || s.find('e') != std::string::npos) << s;
  }
}

// The general formatting WriteDouble promises: std::to_chars' shortest
// round-trip digits, fixed below 1e16 (with ".0" when integral), else scientific.
std::string Reference(double v) {
  char buf[64];
  const double a = std::fabs(v);
  if (a == 0.0 || (a >= 1e-4 && a < 1e16)) {
    char* end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed).ptr;
    std::string s(buf, end);
    if (s.find('.') == std::string::npos) s += ".0";
    return s;
  }
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific).ptr);
}

TEST(ValueTextTest, FewDecimalFastPathMatchesTheGeneralFormatting) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> price(0.0, 1e6);
  std::uniform_int_distribution<int> decimals(0, 10);
  std::uniform_real_distribution<double> any_exp(-6, 17);
  for (int i = 0; i < 200000; ++i) {
    double v;
    switch (i % 4) {
      case 0: {  // prices with 0..10 decimals
        const double scale = std::pow(10.0, decimals(rng));
        v = std::round(price(rng) * scale) / scale;
        break;
      }
      case 1: v = std::pow(10.0, any_exp(rng)); break;                          // any magnitude
      case 2: v = std::round(price(rng) * 4) / 4 * (rng() % 2 ? 1 : -1); break;  // quarter ticks, signed
      default: v = std::nextafter(std::round(price(rng) * 100) / 100, 0.0);     // just off a round price
    }
    ASSERT_EQ(D(v), Reference(v)) << "v=" << v;
  }
  for (double v : {1e-4, 0.00015, 9.999999999999999e14, 1e15, 4e15, 123.456789012, 0.1, 0.7, 1.0, 99999.99999}) {
    EXPECT_EQ(D(v), Reference(v)) << "v=" << v;
  }
}

TEST(ValueTextTest, Integers) {
  std::string s;
  AppendUint(s, 4294967295u);
  s.push_back(' ');
  AppendInt(s, -1741615200);
  EXPECT_EQ(s, "4294967295 -1741615200");
}

TEST(ValueTextTest, JsonStringEscapes) {
  std::string s;
  AppendJsonString(s, std::string("a\"b\\c\nd\te\x01" "f\x7f") + "\xc3\xa9");
  EXPECT_EQ(s, "\"a\\\"b\\\\c\\nd\\te\\u0001f\x7f\xc3\xa9\"");
}

TEST(ValueTextTest, TimestampTextMatchesAppendIsoTimestamp) {
  TimestampText cached;
  const TimeUs base = 1741615200'285000;  // 2025-03-10T14:00:00.285000Z
  for (TimeUs t : {base, base + 1, base + 714999, base + 715000, base + 1, base - kUsPerDay, TimeUs{0},
                   TimeUs{-1}, TimeUs{-1'000'000}, TimeUs{253402300799'999999}, TimeUs{253402300800'000001}}) {
    std::string a, b;
    cached.Append(a, t);
    AppendIsoTimestamp(b, t);
    EXPECT_EQ(a, b) << t;
  }
}

}  // namespace
}  // namespace ibr::query
