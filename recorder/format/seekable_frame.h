// SeekableFrame: the layout of a seekable sealed file (FORMAT.md "Sealed files"):
// one LZ4 frame of independent, checksummed blocks, each group of blocks
// ("segment") starting at a tick-frame boundary, then a skippable frame holding
// the block index. Parses and checks the layout, and inflates one segment at a
// time, verifying its block checksums. Pure functions of the file's bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/tick.h"

namespace ibr::format {

// One index entry: a run of LZ4 blocks whose content starts at a tick-frame
// boundary and ends at one (44 bytes on disk, little-endian, this order).
struct SegmentEntry {
  std::uint64_t block_offset = 0;    // file offset of its first LZ4 block header
  std::uint32_t block_bytes = 0;     // its LZ4 blocks: headers, data and block checksums
  std::uint64_t content_offset = 0;  // offset of its first byte in the frame's content
  std::uint32_t content_bytes = 0;
  TimeUs first_us = 0;               // timestamp of its first tick
  TimeUs last_us = 0;                // and of its last
  std::uint32_t ticks = 0;           // tick frames in it (segment 0 also holds the header frame)
};

inline constexpr std::uint32_t kSkippableIndexMagic = 0x184D2A5E;  // LZ4 skippable frame, nibble E
inline constexpr std::uint32_t kIndexFooterMagic = 0xB10C1DE5;
inline constexpr std::size_t kSegmentEntryBytes = 44;
inline constexpr std::size_t kIndexFooterBytes = 16;  // entry count, entry size, CRC32C, magic
inline constexpr std::size_t kLz4MaxBlockBytes = 256 * 1024;  // BD = 5, what the writer declares

struct SeekableFrame {
  std::uint64_t content_size = 0;      // declared in the LZ4 frame header
  std::uint32_t content_checksum = 0;  // xxHash32 of the whole content, after the end mark
  std::vector<SegmentEntry> segments;
};

// Appends the index skippable frame for `segments` to out.
void AppendBlockIndex(const std::vector<SegmentEntry>& segments, std::string& out);

// nullopt: the file is not seekable (a sealed file written before seekable
// files: one LZ4 frame of linked blocks without block checksums; read it as a
// stream). Corruption: its LZ4 frame has independent checksummed blocks, as
// only seekable files have, but the index after it is missing, damaged or
// inconsistent (torn, bad CRC, offsets or timestamps that do not add up).
Result<std::optional<SeekableFrame>> ParseSeekableFrame(std::string_view file);
// The same, reading only the pieces it needs (frame header, footer, index,
// end mark) through `read(offset, n)`, which returns exactly those bytes (a
// view valid until the next call) or an error, of a file of `size` bytes.
using PieceReader = std::function<Result<std::string_view>(std::uint64_t offset, std::size_t n)>;
Result<std::optional<SeekableFrame>> ParseSeekableFrame(std::uint64_t size, const PieceReader& read);

// Inflates segment `seg` of `file` into dst[0, seg.content_bytes). Every block
// checksum of the segment is verified before its block is inflated; Corruption
// when one does not match, a block is malformed, or the content is not the
// size the index says.
Status InflateSegment(std::string_view file, const SegmentEntry& seg, char* dst);
// The same from the segment's block bytes alone (`blocks` = file[block_offset, +block_bytes)).
Status InflateSegmentBlocks(std::string_view blocks, const SegmentEntry& seg, char* dst);

// xxHash32 (seed 0) of content given piece by piece: the LZ4 content checksum.
class ContentHash {
 public:
  ContentHash();
  ~ContentHash();
  void Reset();
  void Update(std::string_view data);
  std::uint32_t Digest() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ibr::format
