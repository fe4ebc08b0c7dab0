// Frames: 4-byte big-endian length + body, the seed's framing for tick files
// and for format=protobuf query output.
//
// FrameReader walks a byte buffer and stops at the first frame it cannot
// trust, saying why and where, so recovery can cut the file there and verify
// can report it. It never returns a partial or zero-length frame. Pure
// functions and a cursor over caller-owned bytes; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ibr::format {

constexpr std::uint32_t kMaxFrameBytes = 16u << 20;  // larger length = garbage

void AppendFrame(std::string& out, std::string_view body);
void AppendBigEndian32(std::string& out, std::uint32_t v);

enum class FrameStop {
  kEnd,          // clean end: every byte belonged to a whole frame
  kTornTail,     // fewer bytes left than a length prefix or than the length says
  kZeroLength,   // a length of 0
  kOversized,    // a length above kMaxFrameBytes (garbage)
};

const char* FrameStopName(FrameStop s);

class FrameReader {
 public:
  explicit FrameReader(std::string_view data) : data_(data) {}
  // Returns true and sets *body to the next whole frame's body; false at the
  // first frame it cannot return (see stop()).
  bool Next(std::string_view* body);
  FrameStop stop() const { return stop_; }
  // Offset of the first byte not consumed as a whole frame (where to truncate).
  std::uint64_t offset() const { return pos_; }

 private:
  std::string_view data_;
  std::uint64_t pos_ = 0;
  FrameStop stop_ = FrameStop::kEnd;
};

}  // namespace ibr::format
