// SeekableFrameEncoder: segments -> independent LZ4 blocks with checksums, then the index.
#include "format/seekable_frame_encoder.h"

#include <lz4.h>
#include <lz4hc.h>
#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "format/frame.h"
#include "format/wire.h"

namespace ibr::format {

struct SeekableFrameEncoder::State {
  std::unique_ptr<char[]> lz4;  // LZ4 or LZ4 HC state, reused for every block
  XXH32_state_t* xxh = nullptr;
  ~State() {
    if (xxh != nullptr) XXH32_freeState(xxh);
  }
};

SeekableFrameEncoder::SeekableFrameEncoder() : state_(std::make_unique<State>()) {}
SeekableFrameEncoder::~SeekableFrameEncoder() = default;

Status SeekableFrameEncoder::Start(std::uint64_t content_size, int level, std::size_t segment_bytes) {
  if (level < 0 || level > 12) {
    return Status::InvalidArgument("LZ4 level " + std::to_string(level) +
                                   " is out of range: use 0 (default, fast) or 3..12 (HC)");
  }
  level_ = level;
  segment_bytes_ = segment_bytes == 0 ? 1 : segment_bytes;
  state_->lz4.reset(new char[static_cast<std::size_t>(level >= 3 ? LZ4_sizeofStateHC() : LZ4_sizeofState())]);
  if (state_->xxh == nullptr) state_->xxh = XXH32_createState();
  if (state_->xxh == nullptr) return Status::Internal("xxHash: cannot create a state (out of memory?)");
  XXH32_reset(state_->xxh, 0);
  declared_ = content_size;
  given_ = content_at_ = 0;
  segments_.clear();
  seg_.clear();
  seg_.reserve(segment_bytes_ + 4096);
  pending_ = SegmentEntry{};
  // LZ4 frame header: version 01, independent blocks, block checksums,
  // content size, content checksum; 256 KiB maximum block size.
  char h[15];
  wire::PutFixed32(h, 0x184D2204);
  h[4] = static_cast<char>(0x7C);
  h[5] = static_cast<char>(0x50);
  wire::PutFixed64(h + 6, content_size);
  h[14] = static_cast<char>((XXH32(h + 4, 10, 0) >> 8) & 0xFF);
  out_.assign(h, sizeof h);
  out_total_ = sizeof h;
  started_ = true;
  return Status::Ok();
}

Status SeekableFrameEncoder::AddFrame(std::string_view body) {
  if (!started_) return Status::Internal("seekable frame encoder used without a successful Start()");
  AppendBigEndian32(seg_, static_cast<std::uint32_t>(body.size()));
  seg_.append(body);
  XXH32_update(state_->xxh, seg_.data() + seg_.size() - body.size() - 4, body.size() + 4);
  given_ += body.size() + 4;
  return Status::Ok();
}

Status SeekableFrameEncoder::AddHeader(std::string_view body) { return AddFrame(body); }

Status SeekableFrameEncoder::AddTick(std::string_view body, TimeUs timestamp_us) {
  // Cut before this frame when it would overflow a segment that already holds a tick.
  if (pending_.ticks > 0 && seg_.size() + 4 + body.size() > segment_bytes_) IBR_RETURN_IF_ERROR(CutSegment());
  IBR_RETURN_IF_ERROR(AddFrame(body));
  if (pending_.ticks == 0) pending_.first_us = timestamp_us;
  pending_.last_us = timestamp_us;
  ++pending_.ticks;
  return Status::Ok();
}

void SeekableFrameEncoder::CompressBlock(const char* src, std::size_t n) {
  const int cap = LZ4_compressBound(static_cast<int>(n));
  block_.resize(static_cast<std::size_t>(cap));
  const int got = level_ >= 3 ? LZ4_compress_HC_extStateHC(state_->lz4.get(), src, block_.data(), static_cast<int>(n),
                                                           cap, level_)
                              : LZ4_compress_fast_extState(state_->lz4.get(), src, block_.data(), static_cast<int>(n),
                                                           cap, 1);
  const bool stored = got <= 0 || static_cast<std::size_t>(got) >= n;
  const char* data = stored ? src : block_.data();
  const std::uint32_t size = stored ? static_cast<std::uint32_t>(n) : static_cast<std::uint32_t>(got);
  char word[4];
  wire::PutFixed32(word, stored ? (size | 0x80000000u) : size);
  out_.append(word, 4);
  out_.append(data, size);
  wire::PutFixed32(word, XXH32(data, size, 0));
  out_.append(word, 4);
  out_total_ += 8 + std::uint64_t{size};
}

Status SeekableFrameEncoder::CutSegment() {
  if (seg_.empty()) return Status::Ok();
  SegmentEntry e = pending_;
  e.block_offset = out_total_;
  e.content_offset = content_at_;
  e.content_bytes = static_cast<std::uint32_t>(seg_.size());
  for (std::size_t at = 0; at < seg_.size(); at += kLz4MaxBlockBytes) {
    CompressBlock(seg_.data() + at, std::min(kLz4MaxBlockBytes, seg_.size() - at));
  }
  e.block_bytes = static_cast<std::uint32_t>(out_total_ - e.block_offset);
  content_at_ += seg_.size();
  segments_.push_back(e);
  seg_.clear();
  pending_ = SegmentEntry{};
  return Status::Ok();
}

Status SeekableFrameEncoder::Finish() {
  if (!started_) return Status::Internal("seekable frame encoder used without a successful Start()");
  if (given_ != declared_) {
    return Status::InvalidArgument("LZ4 frame: " + std::to_string(given_) + " content bytes given, " +
                                   std::to_string(declared_) + " declared");
  }
  if (pending_.ticks == 0 && segments_.empty()) return Status::InvalidArgument("a sealed file needs at least one tick");
  IBR_RETURN_IF_ERROR(CutSegment());
  char tail[8];
  wire::PutFixed32(tail, 0);  // end mark
  wire::PutFixed32(tail + 4, XXH32_digest(state_->xxh));
  out_.append(tail, 8);
  const std::size_t before = out_.size();
  AppendBlockIndex(segments_, out_);
  out_total_ += 8 + (out_.size() - before);
  started_ = false;
  return Status::Ok();
}

std::string SeekableFrameEncoder::checksum() const {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "xxh32:%08x", static_cast<unsigned>(XXH32_digest(state_->xxh)));
  return buf;
}

}  // namespace ibr::format
