// CRC32C (Castagnoli), the per-message checksum of open tick files.
// Uses the SSE4.2 instruction when the CPU has it, a table otherwise. Pure.
#pragma once

#include <cstdint>
#include <string_view>

namespace ibr::format {

// CRC32C of `data`. Chaining: Crc32c(b, Crc32c(a)) == Crc32c(a + b).
std::uint32_t Crc32c(std::string_view data, std::uint32_t init = 0);

// The two implementations Crc32c chooses between, exposed so tests can check
// both against the same vectors. Hardware() needs HardwareAvailable().
namespace crc32c_detail {
bool HardwareAvailable();
std::uint32_t Software(std::string_view data, std::uint32_t init);
std::uint32_t Hardware(std::string_view data, std::uint32_t init);
}  // namespace crc32c_detail

}  // namespace ibr::format
