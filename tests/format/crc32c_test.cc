// CRC32C: known vectors (RFC 3720 B.4) on both the SSE4.2 and the table path.
#include "format/crc32c.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace ibr::format {
namespace {

struct Vector {
  std::string data;
  std::uint32_t crc;
};

std::vector<Vector> KnownVectors() {
  std::string inc, dec;
  for (int i = 0; i < 32; ++i) {
    inc.push_back(static_cast<char>(i));
    dec.push_back(static_cast<char>(31 - i));
  }
  return {
      {"", 0x00000000},
      {"123456789", 0xE3069283},
      {std::string(32, '\0'), 0x8A9136AA},
      {std::string(32, '\xff'), 0x62A8AB43},
      {inc, 0x46DD794E},
      {dec, 0x113FDB5C},
  };
}

TEST(Crc32cTest, SoftwareKnownVectors) {
  for (const auto& v : KnownVectors()) {
    EXPECT_EQ(crc32c_detail::Software(v.data, 0), v.crc) << "length " << v.data.size();
  }
}

TEST(Crc32cTest, HardwareKnownVectors) {
  if (!crc32c_detail::HardwareAvailable()) GTEST_SKIP() << "CPU has no SSE4.2";
  for (const auto& v : KnownVectors()) {
    EXPECT_EQ(crc32c_detail::Hardware(v.data, 0), v.crc) << "length " << v.data.size();
  }
}

TEST(Crc32cTest, DispatchedKnownVectors) {
  for (const auto& v : KnownVectors()) EXPECT_EQ(Crc32c(v.data), v.crc);
}

TEST(Crc32cTest, PathsAgreeOnEveryLengthAndAlignment) {
  if (!crc32c_detail::HardwareAvailable()) GTEST_SKIP() << "CPU has no SSE4.2";
  std::mt19937 rng(1);
  std::string buf(300, '\0');
  for (auto& c : buf) c = static_cast<char>(rng());
  for (std::size_t start = 0; start < 9; ++start) {
    for (std::size_t len = 0; start + len <= buf.size(); len += 7) {
      const std::string_view s = std::string_view(buf).substr(start, len);
      ASSERT_EQ(crc32c_detail::Hardware(s, 0), crc32c_detail::Software(s, 0))
          << "start " << start << " len " << len;
    }
  }
}

TEST(Crc32cTest, ChainsAcrossPieces) {
  const std::string a = "hello, ", b = "world";
  EXPECT_EQ(Crc32c(b, Crc32c(a)), Crc32c(a + b));
  EXPECT_EQ(crc32c_detail::Software(b, crc32c_detail::Software(a, 0)), Crc32c(a + b));
}

TEST(Crc32cTest, DetectsOneBitFlip) {
  std::string s = "123456789";
  s[4] ^= 1;
  EXPECT_NE(Crc32c(s), 0xE3069283u);
}

}  // namespace
}  // namespace ibr::format
