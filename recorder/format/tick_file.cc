// Whole tick files: header frame + tick frames, open (CRC per message) or
// sealed (one LZ4 frame around the same bytes without the CRCs).
#include "format/tick_file.h"

#include <algorithm>

#include "format/crc32c.h"
#include "format/frame.h"
#include "format/lz4_frame.h"
#include "format/tick_codec.h"
#include "format/tick_file_cursor.h"

namespace ibr::format {
namespace {

// Length prefix + the smallest tick message: type "tick", tick_data holding tick_type "last".
constexpr std::uint64_t kMinTickFrameBytes = 4 + 6 + 2 + 6;
// A bid_ask quote with a bg_ stream id, unix_time and arrival sequence is ~115-120 bytes.
constexpr std::uint64_t kTypicalTickFrameBytes = 112;

// Appends a frame holding `tick`'s message, encoding it in place.
void AppendTickFrame(std::string& out, const Tick& tick, Checksum checksum) {
  const std::size_t at = out.size();
  AppendBigEndian32(out, 0);
  EncodeTickMessage(tick, checksum, out);
  const auto len = static_cast<std::uint32_t>(out.size() - at - 4);
  out[at] = static_cast<char>(len >> 24);
  out[at + 1] = static_cast<char>(len >> 16);
  out[at + 2] = static_cast<char>(len >> 8);
  out[at + 3] = static_cast<char>(len);
}

}  // namespace

TickFileKind KindFromPath(std::string_view path) {
  return path.ends_with(".lz4") ? TickFileKind::kSealed : TickFileKind::kOpen;
}

Result<TickFileContents> ReadRemainingTicks(TickFileCursor& cursor, bool want_raw_bodies) {
  TickFileContents c;
  c.header = cursor.header();
  const std::uint64_t hint = cursor.content_size_hint();
  // A sealed header's count is right unless damaged: never trust it beyond what
  // the bytes can hold. Otherwise guess from the size of a typical frame.
  const std::uint64_t expected = cursor.kind() == TickFileKind::kSealed && c.header.message_count != 0
                                     ? std::min<std::uint64_t>(c.header.message_count, hint / kMinTickFrameBytes)
                                     : hint / kTypicalTickFrameBytes;
  c.ticks.reserve(expected);
  std::vector<std::size_t> ends;  // raw bodies are copied into storage; views made at the end
  if (want_raw_bodies) {
    ends.reserve(expected);
    c.storage.reserve(std::max<std::uint64_t>(32, std::min<std::uint64_t>(hint, 1ull << 30)));
  }
  while (cursor.Next()) {
    c.ticks.push_back(cursor.tick());
    if (want_raw_bodies) {
      c.storage.append(cursor.body());
      ends.push_back(c.storage.size());
    }
  }
  if (!cursor.status().ok()) return cursor.status();
  c.damage = cursor.damage();
  c.skipped = cursor.skipped();
  // raw_bodies point into storage and must survive moving `c`: storage was
  // reserved past the short-string size, so it lives on the heap.
  c.raw_bodies.reserve(ends.size());
  std::size_t from = 0;
  for (std::size_t end : ends) {
    c.raw_bodies.push_back(std::string_view(c.storage).substr(from, end - from));
    from = end;
  }
  return c;
}

std::optional<std::uint64_t> FindNextTickFrame(std::string_view bytes, std::uint64_t from) {
  // A frame's body ends in the CRC field: tag 0x7D, then the CRC of the bytes
  // before the tag, little-endian. Cheap tests first, the decoder last.
  constexpr std::uint64_t kMinBody = kMinTickFrameBytes - 4 + 5;
  Tick scratch;
  for (std::uint64_t at = from; at + 4 + kMinBody <= bytes.size(); ++at) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + at);
    const std::uint32_t len = (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                              (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
    if (len < kMinBody || len > kMaxFrameBytes || at + 4 + len > bytes.size()) continue;
    const std::string_view body = bytes.substr(at + 4, len);
    if (static_cast<unsigned char>(body[len - 5]) != 0x7D) continue;
    const auto* c = reinterpret_cast<const unsigned char*>(body.data() + len - 4);
    const std::uint32_t stored = std::uint32_t{c[0]} | (std::uint32_t{c[1]} << 8) | (std::uint32_t{c[2]} << 16) |
                                 (std::uint32_t{c[3]} << 24);
    if (Crc32c(body.substr(0, len - 5)) != stored) continue;
    if (!DecodeTickKeyInto(body, ChecksumPolicy::kRequire, scratch, nullptr).ok()) continue;
    return at;
  }
  return std::nullopt;
}

Result<TickFileContents> DecodeTickFile(std::string bytes, TickFileKind kind, bool want_raw_bodies) {
  TickFileCursor cursor;
  IBR_RETURN_IF_ERROR(cursor.Open(std::move(bytes), kind, TickDecode::kFull));
  return ReadRemainingTicks(cursor, want_raw_bodies);
}

std::string EncodeSealedContent(const FileHeaderInfo& header, const std::vector<Tick>& ticks) {
  std::string out;
  out.reserve(64 + ticks.size() * 96);
  AppendFrame(out, EncodeFileHeader(header));
  for (const Tick& t : ticks) AppendTickFrame(out, t, Checksum::kNone);
  return out;
}

}  // namespace ibr::format
