// SeekableFrame: block index encoding, layout checks and per-segment inflation.
#include "format/seekable_frame.h"

#include <lz4.h>
#include <xxhash.h>

#include <algorithm>
#include <cstring>

#include "format/crc32c.h"
#include "format/wire.h"

namespace ibr::format {
namespace {

constexpr std::size_t kFrameHeaderBytes = 15;  // magic, FLG, BD, content size, HC
constexpr std::uint32_t kLz4FrameMagic = 0x184D2204;
constexpr std::uint32_t kUncompressedBit = 0x80000000u;

Status BadIndex(const std::string& what) {
  return Status::Corruption("sealed tick file: block index: " + what +
                            " (the file was changed or damaged after it was sealed; run `ib-recorder verify`)");
}

void PutLe32(std::string& out, std::uint32_t v) {
  char b[4];
  wire::PutFixed32(b, v);
  out.append(b, 4);
}
void PutLe64(std::string& out, std::uint64_t v) {
  char b[8];
  wire::PutFixed64(b, v);
  out.append(b, 8);
}

// The LZ4 frame header our writer writes: version 01, independent blocks,
// block checksums, content size, content checksum, no dictionary.
Status ParseFrameHeader(std::string_view file, std::uint64_t* content_size) {
  if (file.size() < kFrameHeaderBytes || wire::LoadFixed32(file.data()) != kLz4FrameMagic) {
    return BadIndex("the file does not start with an LZ4 frame header");
  }
  const auto flg = static_cast<unsigned char>(file[4]);
  const auto bd = static_cast<unsigned char>(file[5]);
  if ((flg & 0xC0) != 0x40 || (flg & 0x20) == 0 || (flg & 0x10) == 0 || (flg & 0x08) == 0 || (flg & 0x04) == 0 ||
      (flg & 0x03) != 0) {
    return BadIndex("the LZ4 frame is not one of independent, checksummed blocks with content size and checksum");
  }
  if ((bd & 0x8F) != 0 || ((bd >> 4) & 7) < 4) return BadIndex("bad LZ4 block descriptor");
  const auto hc = static_cast<unsigned char>(file[14]);
  if (((XXH32(file.data() + 4, 10, 0) >> 8) & 0xFF) != hc) return BadIndex("LZ4 frame header checksum mismatch");
  *content_size = wire::LoadFixed64(file.data() + 6);
  return Status::Ok();
}

}  // namespace

void AppendBlockIndex(const std::vector<SegmentEntry>& segments, std::string& out) {
  std::string payload;
  payload.reserve(segments.size() * kSegmentEntryBytes + kIndexFooterBytes);
  for (const SegmentEntry& s : segments) {
    PutLe64(payload, s.block_offset);
    PutLe32(payload, s.block_bytes);
    PutLe64(payload, s.content_offset);
    PutLe32(payload, s.content_bytes);
    PutLe64(payload, static_cast<std::uint64_t>(s.first_us));
    PutLe64(payload, static_cast<std::uint64_t>(s.last_us));
    PutLe32(payload, s.ticks);
  }
  PutLe32(payload, static_cast<std::uint32_t>(segments.size()));
  PutLe32(payload, static_cast<std::uint32_t>(kSegmentEntryBytes));
  PutLe32(payload, Crc32c(payload));
  PutLe32(payload, kIndexFooterMagic);
  PutLe32(out, kSkippableIndexMagic);
  PutLe32(out, static_cast<std::uint32_t>(payload.size()));
  out.append(payload);
}

Result<std::optional<SeekableFrame>> ParseSeekableFrame(std::string_view file) {
  return ParseSeekableFrame(file.size(), [file](std::uint64_t offset, std::size_t n) -> Result<std::string_view> {
    if (offset > file.size() || file.size() - offset < n) return Status::Corruption("sealed tick file: truncated");
    return file.substr(static_cast<std::size_t>(offset), n);
  });
}

Result<std::optional<SeekableFrame>> ParseSeekableFrame(std::uint64_t size, const PieceReader& read) {
  // Only seekable files have independent blocks with block checksums (FLG bits 5 and 4).
  if (size < kFrameHeaderBytes) return std::optional<SeekableFrame>();
  std::string head;
  {
    auto h = read(0, kFrameHeaderBytes);
    if (!h.ok()) return h.status();
    head.assign(*h);
  }
  if (wire::LoadFixed32(head.data()) != kLz4FrameMagic || (head[4] & 0x30) != 0x30) {
    return std::optional<SeekableFrame>();
  }
  SeekableFrame out;
  IBR_RETURN_IF_ERROR(ParseFrameHeader(head, &out.content_size));
  if (size < kFrameHeaderBytes + 8 + 8 + kIndexFooterBytes) return BadIndex("missing: the file is too short (torn?)");
  std::uint64_t count = 0;
  std::uint32_t crc = 0;
  {
    auto f = read(size - kIndexFooterBytes, kIndexFooterBytes);
    if (!f.ok()) return f.status();
    const char* footer = f->data();
    if (wire::LoadFixed32(footer + 12) != kIndexFooterMagic) {
      return BadIndex("missing: the file does not end in the index footer (torn?)");
    }
    count = wire::LoadFixed32(footer);
    const std::uint32_t entry_bytes = wire::LoadFixed32(footer + 4);
    crc = wire::LoadFixed32(footer + 8);
    if (entry_bytes != kSegmentEntryBytes) return BadIndex("entry size " + std::to_string(entry_bytes) + ", not 44");
  }
  const std::uint64_t payload = count * kSegmentEntryBytes + kIndexFooterBytes;
  if (count == 0 || payload + 8 + kFrameHeaderBytes + 8 > size) {
    return BadIndex(std::to_string(count) + " entries do not fit in a file of " + std::to_string(size) +
                    " bytes (torn?)");
  }
  const std::uint64_t skip_start = size - 8 - payload;
  auto index = read(skip_start, static_cast<std::size_t>(8 + payload));
  if (!index.ok()) return index.status();
  if (wire::LoadFixed32(index->data()) != kSkippableIndexMagic || wire::LoadFixed32(index->data() + 4) != payload) {
    return BadIndex("no skippable frame of the index's size before its footer (torn?)");
  }
  const char* p = index->data() + 8;
  if (Crc32c(std::string_view(p, payload - 8)) != crc) return BadIndex("CRC32C mismatch");

  out.segments.resize(count);
  std::uint64_t block_at = kFrameHeaderBytes, content_at = 0;
  for (std::uint64_t i = 0; i < count; ++i, p += kSegmentEntryBytes) {
    SegmentEntry& s = out.segments[i];
    s.block_offset = wire::LoadFixed64(p);
    s.block_bytes = wire::LoadFixed32(p + 8);
    s.content_offset = wire::LoadFixed64(p + 12);
    s.content_bytes = wire::LoadFixed32(p + 20);
    s.first_us = static_cast<TimeUs>(wire::LoadFixed64(p + 24));
    s.last_us = static_cast<TimeUs>(wire::LoadFixed64(p + 32));
    s.ticks = wire::LoadFixed32(p + 40);
    const std::string at = "entry " + std::to_string(i) + ": ";
    if (s.block_offset != block_at) {
      return BadIndex(at + "blocks at byte " + std::to_string(s.block_offset) + ", expected " + std::to_string(block_at));
    }
    if (s.content_offset != content_at) {
      return BadIndex(at + "content at " + std::to_string(s.content_offset) + ", expected " + std::to_string(content_at));
    }
    if (s.block_bytes < 8 || s.content_bytes == 0 || s.ticks == 0) return BadIndex(at + "empty segment");
    if (s.first_us > s.last_us || (i > 0 && out.segments[i - 1].last_us > s.first_us)) {
      return BadIndex(at + "timestamps out of order");
    }
    block_at += s.block_bytes;
    content_at += s.content_bytes;
    if (block_at + 8 > skip_start) return BadIndex(at + "blocks run past the end of the LZ4 frame");
  }
  if (content_at != out.content_size) {
    return BadIndex("segments hold " + std::to_string(content_at) + " content bytes, the frame declares " +
                    std::to_string(out.content_size));
  }
  if (block_at + 8 != skip_start) {
    return BadIndex("the LZ4 frame does not end (end mark, content checksum) where the last segment ends");
  }
  auto tail = read(block_at, 8);
  if (!tail.ok()) return tail.status();
  if (wire::LoadFixed32(tail->data()) != 0) {
    return BadIndex("the LZ4 frame does not end (end mark, content checksum) where the last segment ends");
  }
  out.content_checksum = wire::LoadFixed32(tail->data() + 4);
  return std::optional<SeekableFrame>(std::move(out));
}

Status InflateSegment(std::string_view file, const SegmentEntry& seg, char* dst) {
  if (seg.block_offset > file.size() || file.size() - seg.block_offset < seg.block_bytes) {
    return BadIndex("segment past the end of the file");
  }
  return InflateSegmentBlocks(file.substr(static_cast<std::size_t>(seg.block_offset), seg.block_bytes), seg, dst);
}

Status InflateSegmentBlocks(std::string_view blocks, const SegmentEntry& seg, char* dst) {
  // pos/end are file offsets (for messages); blocks[0] is at seg.block_offset.
  auto at = [&](std::uint64_t file_offset) { return blocks.data() + (file_offset - seg.block_offset); };
  std::uint64_t pos = seg.block_offset;
  const std::uint64_t end = seg.block_offset + blocks.size();
  std::size_t produced = 0;
  const std::string where = " in the segment at byte " + std::to_string(seg.block_offset);
  if (blocks.size() != seg.block_bytes) return BadIndex("segment past the end of the file");
  while (pos < end) {
    if (end - pos < 8) return Status::Corruption("sealed tick file: torn LZ4 block" + where);
    const std::uint32_t word = wire::LoadFixed32(at(pos));
    const std::uint32_t raw = word & ~kUncompressedBit;
    if (raw == 0 || raw > kLz4MaxBlockBytes * 16 || pos + 8 + raw > end) {
      return Status::Corruption("sealed tick file: LZ4 block of " + std::to_string(raw) + " bytes" + where +
                                " does not fit in it (the index lies, or the file was damaged)");
    }
    const char* data = at(pos + 4);
    if (XXH32(data, raw, 0) != wire::LoadFixed32(data + raw)) {
      return Status::Corruption("sealed tick file: LZ4 block checksum mismatch at byte " + std::to_string(pos) +
                                " (the file was damaged after it was sealed; run `ib-recorder verify`)");
    }
    const std::size_t room = std::min<std::size_t>(seg.content_bytes - produced, kLz4MaxBlockBytes * 16);
    if ((word & kUncompressedBit) != 0) {
      if (raw > room) return Status::Corruption("sealed tick file: more content than the index says" + where);
      std::memcpy(dst + produced, data, raw);
      produced += raw;
    } else {
      const int n = LZ4_decompress_safe(data, dst + produced, static_cast<int>(raw), static_cast<int>(room));
      if (n <= 0) return Status::Corruption("sealed tick file: LZ4 block at byte " + std::to_string(pos) + " is malformed");
      produced += static_cast<std::size_t>(n);
    }
    pos += 8 + raw;
  }
  if (produced != seg.content_bytes) {
    return Status::Corruption("sealed tick file: segment at byte " + std::to_string(seg.block_offset) + " holds " +
                              std::to_string(produced) + " content bytes, the index says " +
                              std::to_string(seg.content_bytes));
  }
  return Status::Ok();
}

struct ContentHash::State {
  XXH32_state_t* s = XXH32_createState();
  ~State() { XXH32_freeState(s); }
};

ContentHash::ContentHash() : state_(std::make_unique<State>()) { Reset(); }
ContentHash::~ContentHash() = default;
void ContentHash::Reset() { XXH32_reset(state_->s, 0); }
void ContentHash::Update(std::string_view data) { XXH32_update(state_->s, data.data(), data.size()); }
std::uint32_t ContentHash::Digest() const { return XXH32_digest(state_->s); }

}  // namespace ibr::format
