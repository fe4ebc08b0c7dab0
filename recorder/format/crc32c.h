// CRC32C (Castagnoli), the per-message checksum of open tick files.
// Uses the SSE4.2 instruction when the CPU has it, a table otherwise. Pure.
#pragma once

#include <cstdint>
#include <string_view>

namespace ibr::format {

std::uint32_t Crc32c(std::string_view data, std::uint32_t init = 0);

}  // namespace ibr::format
