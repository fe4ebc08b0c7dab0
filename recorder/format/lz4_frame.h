// LZ4 frame compression for sealed files: the standard LZ4 frame format with
// content checksum and content size, readable by `lz4 -d`. Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace ibr::format {

// level: 0 = LZ4 default (fast); 3..12 = LZ4 HC.
Result<std::string> Lz4CompressFrame(std::string_view data, int level);
// Corruption when the frame or its content checksum is bad, or it is truncated.
Result<std::string> Lz4DecompressFrame(std::string_view frame);
// "xxh32:<8 hex>" of content, as kept in tick_files.checksum.
std::string ContentChecksum(std::string_view content);

}  // namespace ibr::format
