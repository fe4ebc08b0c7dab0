// TickFile: reads a whole tick file (open `.pb` or sealed `.pb.lz4`) into its
// header and ticks, reporting how far the bytes could be trusted.
//
// For open files every message must carry a valid CRC32C; the first frame that
// fails (torn tail, zero length, garbage, bad CRC) ends the readable part and
// is reported in `damage` with the byte offset where the file should be cut.
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

struct TickFileContents {
  FileHeaderInfo header;
  std::vector<Tick> ticks;
  // For protobuf pass-through: each tick's frame body without CRC, same order as ticks.
  // Filled only when asked (want_raw_bodies).
  std::vector<std::string_view> raw_bodies;
  std::string storage;  // owns the bytes raw_bodies point into (copies of the bodies)
  std::optional<TickFileDamage> damage;  // open files only
};

enum class TickFileKind { kOpen, kSealed };

// Kind from the name: "*.pb.lz4" sealed, "*.pb" open.
TickFileKind KindFromPath(std::string_view path);

// Decodes file bytes. Errors: Corruption when even the header is unreadable or a
// sealed file is damaged.
Result<TickFileContents> DecodeTickFile(std::string bytes, TickFileKind kind, bool want_raw_bodies);

// Encodes a whole sealed file's uncompressed content: header frame + tick frames without CRC.
std::string EncodeSealedContent(const FileHeaderInfo& header, const std::vector<Tick>& ticks);

}  // namespace ibr::format
