// TickFile: reads a whole tick file (open `.pb` or sealed `.pb.lz4`) into its
// header and ticks, reporting how far the bytes could be trusted.
//
// For open files every message must carry a valid CRC32C. A frame that fails
// (torn, zero length, garbage, bad CRC) is skipped when a valid frame follows
// it (resynchronisation, see FORMAT.md): the damaged bytes are listed in
// `skipped`; when none follows, the readable part ends there and `damage`
// gives the byte offset where the tail starts.
// Sealed files must decompress with a good content checksum or the whole file
// is Corruption. Used by recovery, verify and rebuild-catalog; readers that
// stream (queries, sealing) use TickFileCursor, which this is built on.
// Pure function of the bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/tick.h"
#include "format/file_header.h"

namespace ibr::format {

struct TickFileDamage {
  std::uint64_t valid_bytes = 0;  // keep [0, valid_bytes): whole header + whole good frames
  std::string what;               // "torn tail", "zero-length frame", "bad checksum at frame 17", ...
};

// Bytes of an open file skipped between two valid frames: [offset, offset + length).
struct DamagedRegion {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::string what;  // why the frame at `offset` could not be read
};

struct TickFileContents {
  FileHeaderInfo header;
  std::vector<Tick> ticks;
  // For protobuf pass-through: each tick's frame body without CRC, same order as ticks.
  // Filled only when asked (want_raw_bodies).
  std::vector<std::string_view> raw_bodies;
  std::string storage;  // owns the bytes raw_bodies point into (copies of the bodies)
  std::optional<TickFileDamage> damage;  // open files only: the unreadable tail
  std::vector<DamagedRegion> skipped;    // open files only: damage with valid frames after it
};

// Open files: the offset of the first valid tick frame (whole, within the
// 16 MiB bound, its CRC32C matching, a tick) at or after `from`, if any.
std::optional<std::uint64_t> FindNextTickFrame(std::string_view bytes, std::uint64_t from);

enum class TickFileKind { kOpen, kSealed };

// Kind from the name: "*.pb.lz4" sealed, "*.pb" open.
TickFileKind KindFromPath(std::string_view path);

// Decodes file bytes. Errors: Corruption when even the header is unreadable or a
// sealed file is damaged.
Result<TickFileContents> DecodeTickFile(std::string bytes, TickFileKind kind, bool want_raw_bodies);

// Encodes a whole sealed file's uncompressed content: header frame + tick frames without CRC.
std::string EncodeSealedContent(const FileHeaderInfo& header, const std::vector<Tick>& ticks);

}  // namespace ibr::format
