// Sealer: turns a closed hour file (`.pb`) into its sealed form (`.pb.lz4`).
//
// Reads the open file (whole, CRC-valid frames only) in two bounded passes,
// never whole: statistics first, then the stored message bodies (without CRC
// fields, not re-encoded) in (timestamp, arrival sequence) order — streamed
// through when already in order, else sorted as 24-byte keys and copied by
// offset — after a header with the true start, end and count, compressed as
// it goes into a seekable LZ4 frame (independent blocks with checksums, cut
// at tick-frame boundaries, a block index after it: format/seekable_frame.h), and publishes it
// crash-safely: temp file, fsync, rename, fsync directory, catalog row
// updated, then the `.pb` removed. A crash at any step leaves either the `.pb`
// or a complete `.pb.lz4` (recovery finishes the job). One Sealer per thread;
// the Catalog it is given must be that thread's.
#pragma once

#include <string>

#include "catalog/catalog.h"
#include "common/file_system.h"
#include "common/status.h"

namespace ibr::storage {

struct SealerOptions {
  std::string root;
  std::string instance_name;
  int lz4_level = 4;  // LZ4 HC level: ~19-20 B/tick on quotes at ~150 MB/s
};

struct SealResult {
  catalog::TickFileRow row;  // the sealed row (status sealed), or the deleted empty one
  bool removed_empty = false;  // the file held no ticks: file and row were removed
  std::uint64_t dropped_bytes = 0;  // torn tail left out of the sealed file
  std::uint64_t quarantined_bytes = 0;  // damaged frames between valid ones, kept under quarantine/
};

class Sealer {
 public:
  Sealer(SealerOptions options, FileSystem& fs, catalog::Catalog& catalog)
      : options_(std::move(options)), fs_(fs), catalog_(catalog) {}

  // A damaged frame with valid frames after it is taken out first (its bytes
  // kept under quarantine/, the open file written again without it); only a
  // torn tail is simply left out.
  Result<SealResult> Seal(const catalog::TickFileRow& open_row);

 private:
  Result<SealResult> SealOnce(const catalog::TickFileRow& open_row, bool may_repair);
  // Quarantines the skipped pieces of an open file and rewrites it without them; the bytes taken out.
  Result<std::uint64_t> TakeOutDamagedFrames(const catalog::TickFileRow& open_row, std::string bytes);

  SealerOptions options_;
  FileSystem& fs_;
  catalog::Catalog& catalog_;
};

}  // namespace ibr::storage
