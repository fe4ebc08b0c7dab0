// Frames: 4-byte big-endian length + body.
#include "format/frame.h"

namespace ibr::format {

void AppendBigEndian32(std::string& out, std::uint32_t v) {
  const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 8), static_cast<char>(v)};
  out.append(b, 4);
}

void AppendFrame(std::string& out, std::string_view body) {
  AppendBigEndian32(out, static_cast<std::uint32_t>(body.size()));
  out.append(body);
}

const char* FrameStopName(FrameStop s) {
  switch (s) {
    case FrameStop::kEnd: return "end";
    case FrameStop::kTornTail: return "torn tail";
    case FrameStop::kZeroLength: return "zero-length frame";
    case FrameStop::kOversized: return "oversized frame length (garbage)";
  }
  return "unknown";
}

bool FrameReader::Next(std::string_view* body) {
  const std::uint64_t left = data_.size() - pos_;
  if (left == 0) {
    stop_ = FrameStop::kEnd;
    return false;
  }
  if (left < 4) {
    stop_ = FrameStop::kTornTail;
    return false;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(data_.data() + pos_);
  const std::uint32_t len = (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                            (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
  if (len == 0) {
    stop_ = FrameStop::kZeroLength;
    return false;
  }
  if (len > kMaxFrameBytes) {
    stop_ = FrameStop::kOversized;
    return false;
  }
  if (left - 4 < len) {
    stop_ = FrameStop::kTornTail;
    return false;
  }
  *body = data_.substr(pos_ + 4, len);
  pos_ += 4 + std::uint64_t{len};
  return true;
}

}  // namespace ibr::format
