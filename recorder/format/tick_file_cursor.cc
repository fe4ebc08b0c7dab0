// TickFileCursor: frame-at-a-time reading of open and sealed tick files.
#include "format/tick_file_cursor.h"

#include <algorithm>
#include <cstring>

#include "format/frame.h"
#include "format/tick_codec.h"

namespace ibr::format {
namespace {

// Inflated bytes kept at once for a sealed file: four LZ4 blocks of 256 KiB,
// so a refill inflates whole blocks straight into the window.
constexpr std::size_t kWindowBytes = 1024 * 1024;

std::uint32_t LoadBigEndian32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) | std::uint32_t{u[3]};
}

}  // namespace

std::string_view TickFileCursor::Window() const {
  return kind_ == TickFileKind::kSealed ? std::string_view(buf_.data(), end_) : std::string_view(bytes_);
}

std::uint64_t TickFileCursor::content_size_hint() const {
  if (seek_) return seek_->content_size;
  return kind_ == TickFileKind::kSealed ? lz4_.content_size() : bytes_.size();
}

bool TickFileCursor::FillSegments(std::size_t n) {
  const auto& segs = seek_->segments;
  while (end_ - pos_ < n) {
    if (next_seg_ >= segs.size()) {
      lz4_done_ = true;
      return false;
    }
    if (pos_ > 0) {
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      base_ += pos_;
      end_ -= pos_;
      pos_ = 0;
    }
    const SegmentEntry& seg = segs[next_seg_];
    if (buf_.size() < end_ + seg.content_bytes) buf_.resize(end_ + seg.content_bytes);
    Status st;
    if (file_) {
      comp_.resize(seg.block_bytes);
      std::size_t got = 0;
      st = file_->ReadAt(seg.block_offset, seg.block_bytes, comp_.data(), &got);
      if (st.ok() && got != seg.block_bytes) st = Status::Corruption("sealed tick file: truncated inside a segment");
      if (st.ok()) st = InflateSegmentBlocks(comp_, seg, buf_.data() + end_);
    } else {
      st = InflateSegment(bytes_, seg, buf_.data() + end_);
    }
    if (!st.ok()) {
      status_ = st;
      return false;
    }
    if (hash_all_) hash_.Update(std::string_view(buf_.data() + end_, seg.content_bytes));
    end_ += seg.content_bytes;
    ++next_seg_;
    ++segments_read_;
    if (next_seg_ == segs.size()) {
      lz4_done_ = true;
      if (hash_all_ && hash_.Digest() != seek_->content_checksum) {
        status_ = Status::Corruption("sealed tick file: LZ4 content checksum mismatch (every block checksum matched)");
        return false;
      }
    }
  }
  return true;
}

Status TickFileCursor::CheckSegment(std::uint64_t frame_bytes, TimeUs ts) {
  const auto& segs = seek_->segments;
  auto lie = [this](const std::string& what) {
    return Status::Corruption("sealed tick file: block index entry " + std::to_string(check_seg_) + " " + what +
                              " (the file was changed after it was sealed; run `ib-recorder verify`)");
  };
  while (check_seg_ < segs.size() && frame_start_ >= segs[check_seg_].content_offset + segs[check_seg_].content_bytes) {
    IBR_RETURN_IF_ERROR(CheckSegmentEnd());
    ++check_seg_;
    seg_seen_ = 0;
  }
  if (check_seg_ >= segs.size()) return lie("is missing: content past the last segment");
  const SegmentEntry& seg = segs[check_seg_];
  if (frame_start_ + frame_bytes > seg.content_offset + seg.content_bytes) {
    return lie("ends inside the tick frame at content byte " + std::to_string(frame_start_));
  }
  if ((seg_seen_ == 0 && ts != seg.first_us) || ts < seg.first_us || ts > seg.last_us) {
    return lie("says its ticks lie in [" + std::to_string(seg.first_us) + ", " + std::to_string(seg.last_us) +
               "] us; tick frame " + std::to_string(count_) + " is at " + std::to_string(ts));
  }
  seg_last_ = ts;
  ++seg_seen_;
  return Status::Ok();
}

Status TickFileCursor::CheckSegmentEnd() {
  const SegmentEntry& seg = seek_->segments[check_seg_];
  if (seg_seen_ != seg.ticks || seg_last_ != seg.last_us) {
    return Status::Corruption("sealed tick file: block index entry " + std::to_string(check_seg_) + " says " +
                              std::to_string(seg.ticks) + " ticks ending at " + std::to_string(seg.last_us) +
                              " us; it holds " + std::to_string(seg_seen_) + " ending at " + std::to_string(seg_last_) +
                              " (the file was changed after it was sealed; run `ib-recorder verify`)");
  }
  return Status::Ok();
}

void TickFileCursor::SeekTo(TimeUs start_us) {
  if (!seek_ || count_ != 0 || finished_ || !status_.ok()) return;
  const auto& segs = seek_->segments;
  const std::size_t k = static_cast<std::size_t>(
      std::partition_point(segs.begin(), segs.end(), [&](const SegmentEntry& e) { return e.last_us < start_us; }) -
      segs.begin());
  const std::size_t target = std::min(k == 0 ? 0 : k - 1, segs.size() - 1);
  if (target <= check_seg_) return;  // already there (the header's segment)
  std::uint64_t before = 0;
  for (std::size_t i = 0; i < target; ++i) before += segs[i].ticks;
  pos_ = end_ = 0;
  base_ = segs[target].content_offset;
  next_seg_ = check_seg_ = target;
  seg_seen_ = 0;
  count_ = before;
  hash_all_ = false;
  lz4_done_ = false;
}

Status TickFileCursor::Lz4Error(const Status& s) const { return s.WithContext("sealed tick file"); }

bool TickFileCursor::Fill(std::size_t n) {
  if (kind_ == TickFileKind::kOpen) return bytes_.size() - pos_ >= n;
  if (seek_) return FillSegments(n);
  if (end_ - pos_ >= n) return true;
  if (lz4_done_) return false;
  if (pos_ > 0) {  // keep the unread tail, drop what was read
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    base_ += pos_;
    end_ -= pos_;
    pos_ = 0;
  }
  if (buf_.size() < n) buf_.resize(n);  // one frame larger than the window (up to 16 MiB)
  while (end_ < n && !lz4_done_) {
    std::size_t got = 0;
    Status s = lz4_.Read(buf_.data() + end_, buf_.size() - end_, &got, &lz4_done_);
    if (!s.ok()) {
      status_ = Lz4Error(s);
      return false;
    }
    end_ += got;
  }
  return end_ >= n;
}

void TickFileCursor::Drain() {
  // A seekable file's segments are verified before they are read: nothing to drain.
  if (kind_ != TickFileKind::kSealed || seek_) return;
  while (!lz4_done_ && status_.ok()) {
    pos_ = end_;
    Fill(end_ - pos_ + 1);  // discards the window, inflates the next one
  }
}

bool TickFileCursor::Stop(const std::string& what, std::uint64_t at) {
  finished_ = true;
  if (kind_ == TickFileKind::kOpen) {
    damage_ = TickFileDamage{at, what};
    return false;
  }
  Drain();  // a bad LZ4 frame explains the damage better: it speaks first
  if (status_.ok()) {
    status_ = Status::Corruption("sealed tick file: " + what +
                                 (seek_ ? " (its block checksums were good: it was written so, or its index changed)"
                                        : " (its LZ4 checksum was good, so it was written damaged)"));
  }
  return false;
}

Status TickFileCursor::OpenFile(std::unique_ptr<ReadableFile> file, TickFileKind kind, TickDecode decode) {
  const std::uint64_t size = file->Size();
  auto read_whole = [&]() -> Status {
    std::string bytes(static_cast<std::size_t>(size), '\0');
    std::size_t got = 0;
    IBR_RETURN_IF_ERROR(file->ReadAt(0, bytes.size(), bytes.data(), &got));
    bytes.resize(got);
    return Open(std::move(bytes), kind, decode);
  };
  file_.reset();
  if (kind != TickFileKind::kSealed) return read_whole();
  std::string piece;
  auto frame = ParseSeekableFrame(size, [&](std::uint64_t offset, std::size_t n) -> Result<std::string_view> {
    piece.resize(n);
    std::size_t got = 0;
    IBR_RETURN_IF_ERROR(file->ReadAt(offset, n, piece.data(), &got));
    if (got != n) return Status::Corruption("sealed tick file: truncated");
    return std::string_view(piece);
  });
  if (frame.ok() && !frame->has_value()) return read_whole();  // an older sealed file: read as a stream
  kind_ = kind;
  decode_ = decode;
  bytes_.clear();
  seek_.reset();
  if (!frame.ok()) {
    finished_ = true;
    status_ = frame.status();
    return status_;
  }
  seek_ = std::move(frame).value();
  file_ = std::move(file);
  return Rewind();
}

Status TickFileCursor::Open(std::string bytes, TickFileKind kind, TickDecode decode) {
  file_.reset();
  kind_ = kind;
  decode_ = decode;
  bytes_ = std::move(bytes);
  seek_.reset();
  if (kind_ == TickFileKind::kSealed) {
    auto frame = ParseSeekableFrame(bytes_);
    if (!frame.ok()) {
      finished_ = true;
      status_ = frame.status();
      return status_;
    }
    seek_ = std::move(frame).value();
  }
  return Rewind();
}

Status TickFileCursor::Rewind() {
  status_ = Status::Ok();
  damage_.reset();
  skipped_.clear();
  finished_ = false;
  count_ = 0;
  pos_ = 0;
  base_ = 0;
  end_ = 0;
  frame_start_ = 0;
  body_ = {};
  lz4_done_ = false;
  next_seg_ = check_seg_ = 0;
  seg_seen_ = 0;
  segments_read_ = 0;
  hash_all_ = true;
  hash_.Reset();
  const bool sealed = kind_ == TickFileKind::kSealed;
  auto fail = [this](Status s) {
    finished_ = true;
    status_ = s;
    return s;
  };
  if (sealed && !seek_) {
    if (buf_.size() < kWindowBytes) buf_.resize(kWindowBytes);
    Status s = lz4_.Start(bytes_);
    if (!s.ok()) return fail(Lz4Error(s));
  }

  // Frame 0: the header.
  bool whole = Fill(4);
  std::uint32_t len = 0;
  FrameStop stop = FrameStop::kTornTail;
  if (whole) {
    len = LoadBigEndian32(Window().data() + pos_);
    if (len == 0) {
      stop = FrameStop::kZeroLength;
      whole = false;
    } else if (len > kMaxFrameBytes) {
      stop = FrameStop::kOversized;
      whole = false;
    } else {
      whole = Fill(4 + std::size_t{len});
    }
  } else if (status_.ok() && Window().size() == pos_) {
    stop = FrameStop::kEnd;
  }
  if (!status_.ok()) return fail(status_);
  if (!whole) {
    Drain();
    if (!status_.ok()) return fail(status_);
    return fail(Status::Corruption(std::string(sealed ? "sealed" : "open") + " tick file: no whole header frame (" +
                                   FrameStopName(stop) + " at byte 0)"));
  }
  Result<FileHeaderInfo> header = DecodeFileHeader(Window().substr(pos_ + 4, len));
  pos_ += 4 + std::size_t{len};
  if (!header.ok()) {
    Drain();
    if (!status_.ok()) return fail(status_);
    return fail(header.status());
  }
  header_ = std::move(header).value();
  if (seek_) {
    const auto& segs = seek_->segments;
    std::uint64_t ticks = 0;
    for (const SegmentEntry& e : segs) ticks += e.ticks;
    if (ticks != header_.message_count || segs.front().first_us != header_.start_time ||
        segs.back().last_us != header_.end_time || pos_ > segs.front().content_bytes) {
      return fail(Status::Corruption(
          "sealed tick file: the block index (" + std::to_string(ticks) + " ticks, " +
          std::to_string(segs.front().first_us) + " to " + std::to_string(segs.back().last_us) +
          " us) disagrees with the header (" + std::to_string(header_.message_count) + " ticks, " +
          std::to_string(header_.start_time) + " to " + std::to_string(header_.end_time) +
          " us); run `ib-recorder verify`"));
    }
  }
  return Status::Ok();
}

bool TickFileCursor::Next() {
  for (;;) {
    if (finished_) return false;
    frame_start_ = base_ + pos_;
    std::string what;
    if (!Fill(4)) {
      if (!status_.ok() || Window().size() == pos_) {  // a read error, or the clean end
        finished_ = true;
        if (status_.ok() && seek_) {
          status_ = check_seg_ + 1 == seek_->segments.size()
                        ? CheckSegmentEnd()
                        : Status::Corruption("sealed tick file: the content ends before the block index's last segment");
        }
        return false;
      }
      what = std::string(FrameStopName(FrameStop::kTornTail)) + " at byte " + std::to_string(frame_start_);
    } else {
      const std::uint32_t len = LoadBigEndian32(Window().data() + pos_);
      if (len == 0 || len > kMaxFrameBytes) {
        what = std::string(FrameStopName(len == 0 ? FrameStop::kZeroLength : FrameStop::kOversized)) + " at byte " +
               std::to_string(frame_start_);
      } else if (!Fill(4 + std::size_t{len})) {
        if (!status_.ok()) {
          finished_ = true;
          return false;
        }
        what = std::string(FrameStopName(FrameStop::kTornTail)) + " at byte " + std::to_string(frame_start_);
      } else {
        const std::string_view body = Window().substr(pos_ + 4, len);
        const ChecksumPolicy policy =
            kind_ == TickFileKind::kSealed ? ChecksumPolicy::kIfPresent : ChecksumPolicy::kRequire;
        std::size_t payload = 0;
        Status s = decode_ == TickDecode::kFull ? DecodeTickMessageInto(body, policy, tick_, &payload)
                                                : DecodeTickKeyInto(body, policy, tick_, &payload);
        if (s.ok() && seek_) s = CheckSegment(4 + std::uint64_t{len}, tick_.timestamp_us);
        if (s.ok()) {
          pos_ += 4 + std::size_t{len};
          body_ = body.substr(0, payload);
          ++count_;
          return true;
        }
        what = "tick frame " + std::to_string(count_) + " at byte " + std::to_string(frame_start_) + ": " + s.message();
      }
    }
    if (kind_ == TickFileKind::kOpen) {
      // Resynchronise: a damaged frame with a valid frame after it is skipped,
      // not the end of the file (FORMAT.md, "How readers decide").
      if (auto next = FindNextTickFrame(bytes_, frame_start_ + 1)) {
        skipped_.push_back(DamagedRegion{frame_start_, *next - frame_start_, what});
        pos_ = static_cast<std::size_t>(*next);
        continue;
      }
    }
    return Stop(what, frame_start_);
  }
}

}  // namespace ibr::format
