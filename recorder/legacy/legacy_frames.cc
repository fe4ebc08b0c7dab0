// LegacyFrames: 4-byte length (either byte order) + body, to the end of the file.
#include "legacy/legacy_frames.h"

#include <cstdint>
#include <string>

namespace ibr::legacy {
namespace {

constexpr std::uint32_t kMaxLegacyFrameBytes = 16u << 20;

std::uint32_t LoadLength(const char* p, LengthOrder order) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  if (order == LengthOrder::kLittleEndian) {
    return static_cast<std::uint32_t>(b[0]) | static_cast<std::uint32_t>(b[1]) << 8 |
           static_cast<std::uint32_t>(b[2]) << 16 | static_cast<std::uint32_t>(b[3]) << 24;
  }
  return static_cast<std::uint32_t>(b[3]) | static_cast<std::uint32_t>(b[2]) << 8 |
         static_cast<std::uint32_t>(b[1]) << 16 | static_cast<std::uint32_t>(b[0]) << 24;
}

}  // namespace

void SplitLegacyFrames(std::string_view file, LengthOrder order, const std::function<void(LegacyRecord&)>& on_frame,
                       const RecordFn& on_stop) {
  std::size_t pos = 0;
  std::uint64_t index = 0;
  while (pos < file.size()) {
    ++index;
    const std::size_t left = file.size() - pos;
    LegacyRecord stop;
    stop.index = index;
    stop.skipped = true;
    stop.binary = true;
    stop.input = file.substr(pos);
    if (left < 4) {
      stop.reason = "torn_record";
      stop.detail = std::to_string(left) + " byte(s) at offset " + std::to_string(pos) +
                    ": less than a 4-byte length prefix";
      on_stop(stop);
      return;
    }
    const std::uint32_t len = LoadLength(file.data() + pos, order);
    if (len > kMaxLegacyFrameBytes) {
      stop.reason = "bad_frame_length";
      stop.detail = "frame length " + std::to_string(len) + " at offset " + std::to_string(pos) +
                    " is above 16 MiB (garbage, or the other byte order); the rest of the file (" +
                    std::to_string(left) + " bytes) cannot be framed";
      on_stop(stop);
      return;
    }
    if (len > left - 4) {
      stop.reason = "torn_record";
      stop.detail = "frame at offset " + std::to_string(pos) + " says " + std::to_string(len) +
                    " bytes but only " + std::to_string(left - 4) + " follow";
      on_stop(stop);
      return;
    }
    LegacyRecord frame;
    frame.index = index;
    frame.input = file.substr(pos + 4, len);
    frame.binary = true;
    on_frame(frame);
    pos += 4 + len;
  }
}

}  // namespace ibr::legacy
