// TickFileCursor: reads one tick file (open `.pb` or sealed `.pb.lz4`) a tick
// frame at a time, in bounded memory: a sealed file is inflated through a
// reused 1 MiB window, never whole; each frame is decoded into
// one reused Tick (fully, or only its key) and its raw body is offered as a view.
//
// A seekable sealed file (block index, FORMAT.md) is inflated a segment at a
// time, each segment's block checksums verified before any of its ticks is
// returned, and SeekTo() starts reading at the segment a time needs.
//
// Same rules as DecodeTickFile (which is built on it): an open file's damaged
// frame is skipped when a valid frame follows (skipped()), else it ends the
// file (damage(), the tail); a sealed file damaged anywhere is
// Corruption, reported when the cursor reaches the damage (an old sealed
// file's LZ4 content checksum can only be checked at the end: ticks returned
// before are unverified). One thread; reusable through Open() (buffers keep their memory).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/file_system.h"
#include "common/status.h"
#include "common/tick.h"
#include "format/file_header.h"
#include "format/lz4_frame.h"
#include "format/seekable_frame.h"
#include "format/tick_file.h"

namespace ibr::format {

enum class TickDecode {
  kFull,  // every field of the Tick
  kKey,   // same checks, but only timestamp_us, arrival_seq, contract_id, tick_type are set
};

class TickFileCursor {
 public:
  TickFileCursor() = default;
  TickFileCursor(const TickFileCursor&) = delete;
  TickFileCursor& operator=(const TickFileCursor&) = delete;

  // Takes the file's bytes as they are on disk and reads the header frame.
  // Corruption (as DecodeTickFile) when there is no whole, decodable header
  // or a sealed file's LZ4 frame is bad before it.
  Status Open(std::string bytes, TickFileKind kind, TickDecode decode);
  // The same from a file read with pread: a seekable sealed file is not read
  // whole — only its index and then the segments the reading needs; other
  // files are read whole. IoError when a read fails.
  Status OpenFile(std::unique_ptr<ReadableFile> file, TickFileKind kind, TickDecode decode);
  // Back to the first tick (a sealed file is inflated again).
  Status Rewind();
  // Seekable sealed files: skips the segments that end before `start_us`
  // (reading from the segment before the first one that may hold it, so a
  // block index lying about where that is cannot hide ticks: FORMAT.md).
  // Only right after Open()/Rewind(); a no-op for other files. Ticks before
  // start_us may still follow: the caller skips them.
  void SeekTo(TimeUs start_us);
  // Whether the file has a block index (a seekable sealed file).
  bool seekable() const { return seek_.has_value(); }
  // Segments inflated since Open()/Rewind() (seekable files).
  std::size_t segments_read() const { return segments_read_; }

  // Advances to the next tick. False when there is none: status() is then
  // ok (clean end, or an open file's damage(), a torn tail) or Corruption (a
  // sealed file damaged, or the cursor was not opened).
  bool Next();

  const FileHeaderInfo& header() const { return header_; }
  TickFileKind kind() const { return kind_; }
  TickDecode decode() const { return decode_; }
  void set_decode(TickDecode d) { decode_ = d; }
  // The current tick and its frame body without the CRC field. Valid until
  // Next()/Rewind()/Open(); an open file's bodies stay valid until
  // Rewind()/Open() (they point into the file's bytes).
  const Tick& tick() const { return tick_; }
  std::string_view body() const { return body_; }
  // Tick frames returned so far.
  std::uint64_t count() const { return count_; }
  // Content offset where the current tick's frame starts.
  std::uint64_t frame_offset() const { return frame_start_; }
  // Size of the content (an open file's bytes; a sealed file's declared
  // uncompressed size, 0 when not recorded): a capacity hint.
  std::uint64_t content_size_hint() const;
  const Status& status() const { return status_; }
  // Open files only: where and why reading stopped before the end.
  const std::optional<TickFileDamage>& damage() const { return damage_; }
  // Open files only: damaged bytes skipped so far, each with valid frames after it.
  const std::vector<DamagedRegion>& skipped() const { return skipped_; }
  // True once Next() returned false.
  bool finished() const { return finished_; }

 private:
  bool Fill(std::size_t n);  // makes n bytes from pos_ available; false at the end or on error
  std::string_view Window() const;
  bool Stop(const std::string& what, std::uint64_t at);  // records damage or a sealed file's corruption
  Status Lz4Error(const Status& s) const;
  void Drain();  // inflates the rest of a sealed file to let its LZ4 checks speak first
  bool FillSegments(std::size_t n);  // Fill() for seekable files
  // Checks a seekable file's tick frame against its segment's index entry.
  Status CheckSegment(std::uint64_t frame_bytes, TimeUs ts);
  Status CheckSegmentEnd();  // at the clean end: the last segment is complete

  TickFileKind kind_ = TickFileKind::kOpen;
  TickDecode decode_ = TickDecode::kFull;
  std::string bytes_;        // the file as on disk
  Lz4FrameDecoder lz4_;
  std::string buf_;          // sealed: the inflated window [0, end_)
  std::size_t end_ = 0;
  bool lz4_done_ = false;
  std::size_t pos_ = 0;      // in Window()
  std::uint64_t base_ = 0;   // content offset of Window()[0]

  // Seekable sealed files.
  std::optional<SeekableFrame> seek_;
  std::unique_ptr<ReadableFile> file_;  // OpenFile(): segments are read from it (bytes_ empty)
  std::string comp_;                    // one segment's compressed bytes
  std::size_t next_seg_ = 0;   // next segment to inflate
  std::size_t check_seg_ = 0;  // segment of the last tick returned
  std::uint32_t seg_seen_ = 0; // ticks of it seen
  TimeUs seg_last_ = 0;
  std::size_t segments_read_ = 0;
  bool hash_all_ = false;      // read from the start: check the content checksum at the end
  ContentHash hash_;

  FileHeaderInfo header_;
  Tick tick_;
  std::string_view body_;
  std::uint64_t count_ = 0;
  std::uint64_t frame_start_ = 0;
  Status status_ = Status::Corruption("tick file cursor: not opened");
  std::optional<TickFileDamage> damage_;
  std::vector<DamagedRegion> skipped_;
  bool finished_ = true;
};

// Reads the cursor's remaining ticks into TickFileContents (header, ticks,
// damage; with copies of the raw bodies when asked). The cursor's status()
// when it is not ok.
Result<TickFileContents> ReadRemainingTicks(TickFileCursor& cursor, bool want_raw_bodies);

}  // namespace ibr::format
