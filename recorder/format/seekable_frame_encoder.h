// SeekableFrameEncoder: writes a seekable sealed file (FORMAT.md "Sealed files")
// from its content frames: one LZ4 frame of independent, checksummed blocks,
// cut into segments at tick-frame boundaries, then the block index in a
// skippable frame. Compressed bytes collect in output(), which the caller may
// take and clear at any time. Keeps ContentChecksum() of the content. One
// thread; not reusable.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/tick.h"
#include "format/seekable_frame.h"

namespace ibr::format {

// Content bytes a segment gathers before it is compressed and cut; a query
// inflates whole segments, so this bounds what a range read inflates beyond
// its result, at the cost of compression (LZ4's window is 64 KiB).
inline constexpr std::size_t kDefaultSegmentBytes = 128 * 1024;

class SeekableFrameEncoder {
 public:
  SeekableFrameEncoder();
  ~SeekableFrameEncoder();
  SeekableFrameEncoder(const SeekableFrameEncoder&) = delete;
  SeekableFrameEncoder& operator=(const SeekableFrameEncoder&) = delete;

  // content_size: the sum of 4 + body size over every frame to come. level: 0 =
  // LZ4 default (fast), 3..12 = LZ4 HC.
  Status Start(std::uint64_t content_size, int level, std::size_t segment_bytes = kDefaultSegmentBytes);
  // The header frame, first and once.
  Status AddHeader(std::string_view body);
  // One tick frame's body; ticks must come in timestamp order.
  Status AddTick(std::string_view body, TimeUs timestamp_us);
  // Ends the frame and appends the index: InvalidArgument when the content
  // given is not the declared size or holds no tick.
  Status Finish();
  std::string& output() { return out_; }
  // ContentChecksum() of the content given so far.
  std::string checksum() const;
  const std::vector<SegmentEntry>& segments() const { return segments_; }

 private:
  Status AddFrame(std::string_view body);
  Status CutSegment();
  void CompressBlock(const char* src, std::size_t n);

  struct State;
  std::unique_ptr<State> state_;
  std::string out_;
  std::uint64_t out_total_ = 0;  // bytes produced, output() taken or not
  std::string seg_;              // content of the segment being gathered
  SegmentEntry pending_;         // its entry (ticks 0: only the header so far)
  std::vector<SegmentEntry> segments_;
  std::string block_;            // compression scratch
  std::uint64_t declared_ = 0, given_ = 0, content_at_ = 0;
  std::size_t segment_bytes_ = kDefaultSegmentBytes;
  int level_ = 0;
  bool started_ = false;
};

}  // namespace ibr::format
