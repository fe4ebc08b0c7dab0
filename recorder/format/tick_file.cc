// Whole tick files: header frame + tick frames, open (CRC per message) or
// sealed (one LZ4 frame around the same bytes without the CRCs).
#include "format/tick_file.h"

#include <algorithm>

#include "format/frame.h"
#include "format/lz4_frame.h"
#include "format/tick_codec.h"

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

std::string StopText(const FrameReader& r) {
  return std::string(FrameStopName(r.stop())) + " at byte " + std::to_string(r.offset());
}

}  // namespace

TickFileKind KindFromPath(std::string_view path) {
  return path.ends_with(".lz4") ? TickFileKind::kSealed : TickFileKind::kOpen;
}

Result<TickFileContents> DecodeTickFile(std::string bytes, TickFileKind kind, bool want_raw_bodies) {
  const bool sealed = kind == TickFileKind::kSealed;
  TickFileContents c;
  if (sealed) {
    Result<std::string> content = Lz4DecompressFrame(bytes);
    if (!content.ok()) return content.status().WithContext("sealed tick file");
    c.storage = std::move(content).value();
  } else {
    c.storage = std::move(bytes);
  }
  // raw_bodies point into storage and must survive moving `c`: keep the bytes
  // on the heap (a moved std::string keeps its heap buffer; short ones are inline).
  c.storage.reserve(32);

  FrameReader reader(c.storage);
  std::string_view body;
  if (!reader.Next(&body)) {
    return Status::Corruption(std::string(sealed ? "sealed" : "open") +
                              " tick file: no whole header frame (" + StopText(reader) + ")");
  }
  Result<FileHeaderInfo> header = DecodeFileHeader(body);
  if (!header.ok()) return header.status();
  c.header = std::move(header).value();

  const ChecksumPolicy policy = sealed ? ChecksumPolicy::kIfPresent : ChecksumPolicy::kRequire;
  // A sealed header's count is right unless damaged: never trust it beyond what
  // the bytes can hold. Otherwise guess from the size of a typical frame.
  const std::uint64_t expected =
      sealed && c.header.message_count != 0
          ? std::min<std::uint64_t>(c.header.message_count, c.storage.size() / kMinTickFrameBytes)
          : c.storage.size() / kTypicalTickFrameBytes;
  c.ticks.reserve(expected);
  if (want_raw_bodies) c.raw_bodies.reserve(expected);
  std::uint64_t frame_start = reader.offset();
  std::uint64_t index = 0;
  while (reader.Next(&body)) {
    std::size_t payload = 0;
    Tick& tick = c.ticks.emplace_back();
    Status s = DecodeTickMessageInto(body, policy, tick, &payload);
    if (!s.ok()) {
      c.ticks.pop_back();
      c.damage = TickFileDamage{frame_start, "tick frame " + std::to_string(index) + " at byte " +
                                                 std::to_string(frame_start) + ": " + s.message()};
      break;
    }
    if (want_raw_bodies) c.raw_bodies.push_back(body.substr(0, payload));
    frame_start = reader.offset();
    ++index;
  }
  if (!c.damage && reader.stop() != FrameStop::kEnd) {
    c.damage = TickFileDamage{reader.offset(), StopText(reader)};
  }
  if (sealed && c.damage) {
    return Status::Corruption("sealed tick file: " + c.damage->what +
                              " (its LZ4 checksum was good, so it was written damaged)");
  }
  return c;
}

std::string EncodeSealedContent(const FileHeaderInfo& header, const std::vector<Tick>& ticks) {
  std::string out;
  out.reserve(64 + ticks.size() * 96);
  AppendFrame(out, EncodeFileHeader(header));
  for (const Tick& t : ticks) AppendTickFrame(out, t, Checksum::kNone);
  return out;
}

}  // namespace ibr::format
