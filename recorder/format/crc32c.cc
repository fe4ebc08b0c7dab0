// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), init/xorout 0xFFFFFFFF.
// The SSE4.2 crc32 instruction computes the same polynomial; the table path is
// the fallback for CPUs without it (and is tested against the same vectors).
#include "format/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace ibr::format {
namespace {

constexpr std::array<std::uint32_t, 256> MakeTable() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    t[i] = c;
  }
  return t;
}

constexpr std::array<std::uint32_t, 256> kTable = MakeTable();

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) std::uint32_t HardwareRaw(const char* p, std::size_t n,
                                                           std::uint32_t crc) {
  std::uint64_t c = crc;
  while (n >= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    c = _mm_crc32_u64(c, v);
    p += 8;
    n -= 8;
  }
  auto c32 = static_cast<std::uint32_t>(c);
  while (n > 0) {
    c32 = _mm_crc32_u8(c32, static_cast<unsigned char>(*p));
    ++p;
    --n;
  }
  return c32;
}
#endif

}  // namespace

namespace crc32c_detail {

bool HardwareAvailable() {
#if defined(__x86_64__)
  static const bool available = __builtin_cpu_supports("sse4.2");
  return available;
#else
  return false;
#endif
}

std::uint32_t Software(std::string_view data, std::uint32_t init) {
  std::uint32_t c = ~init;
  for (unsigned char b : data) c = kTable[(c ^ b) & 0xFF] ^ (c >> 8);
  return ~c;
}

std::uint32_t Hardware(std::string_view data, std::uint32_t init) {
#if defined(__x86_64__)
  return ~HardwareRaw(data.data(), data.size(), ~init);
#else
  return Software(data, init);
#endif
}

}  // namespace crc32c_detail

std::uint32_t Crc32c(std::string_view data, std::uint32_t init) {
  return crc32c_detail::HardwareAvailable() ? crc32c_detail::Hardware(data, init)
                                            : crc32c_detail::Software(data, init);
}

}  // namespace ibr::format
