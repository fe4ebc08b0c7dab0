// LZ4 frame compression for sealed files: the standard LZ4 frame format with
// content checksum and content size, readable by `lz4 -d`. Pure functions,
// plus Lz4FrameDecoder, which inflates one frame piece by piece into memory
// the caller reuses (one decoder per reader, one thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ibr::format {

// level: 0 = LZ4 default (fast); 3..12 = LZ4 HC.
Result<std::string> Lz4CompressFrame(std::string_view data, int level);
// Corruption when the frame or its content checksum is bad, or it is truncated.
Result<std::string> Lz4DecompressFrame(std::string_view frame);
// "xxh32:<8 hex>" of content, as kept in tick_files.checksum.
std::string ContentChecksum(std::string_view content);

// Streaming form of Lz4CompressFrame (same frame settings): the content is
// given piece by piece and its size up front (it goes in the frame header).
// Compressed bytes collect in output(), which the caller may take and clear
// at any time (to write them out as they come). Also keeps ContentChecksum()
// of the content given. One thread; not reusable.
class Lz4FrameEncoder {
 public:
  Lz4FrameEncoder();
  ~Lz4FrameEncoder();
  Status Start(std::uint64_t content_size, int level);
  Status Write(std::string_view data);
  // Ends the frame (its last bytes go to output()): InvalidArgument when the
  // content given is not the declared size.
  Status Finish();
  std::string& output() { return out_; }
  // ContentChecksum() of the bytes given so far.
  std::string checksum() const;

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
  std::string out_;
  std::uint64_t declared_ = 0;
  std::uint64_t given_ = 0;
};

// Streaming form of Lz4DecompressFrame, with the same checks and messages:
// Start() reads the frame header, each Read() produces the next content
// bytes. The content checksum, the declared content size and "nothing after
// the frame" are checked when the frame ends, so bytes already returned by a
// decoder that later fails are unverified. Reusable: Start() again.
class Lz4FrameDecoder {
 public:
  Lz4FrameDecoder();  // not copyable (owns the LZ4 context)
  ~Lz4FrameDecoder();

  // Borrows `frame`, which must outlive the decoding.
  Status Start(std::string_view frame);
  // The content size the header declares (0: not recorded).
  std::uint64_t content_size() const { return content_size_; }
  // Fills dst[0, capacity) as far as the content goes (it may stop short of
  // capacity, never at 0 unless done); *written = bytes produced, *done = the
  // frame ended and was verified. Corruption on damage.
  Status Read(char* dst, std::size_t capacity, std::size_t* written, bool* done);

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
  std::string_view frame_;
  std::size_t src_pos_ = 0;
  std::uint64_t content_size_ = 0;
  std::uint64_t produced_ = 0;
  bool done_ = false;
};

}  // namespace ibr::format
