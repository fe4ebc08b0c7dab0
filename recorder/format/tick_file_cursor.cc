// TickFileCursor: frame-at-a-time reading of open and sealed tick files.
#include "format/tick_file_cursor.h"

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
  return kind_ == TickFileKind::kSealed ? lz4_.content_size() : bytes_.size();
}

Status TickFileCursor::Lz4Error(const Status& s) const { return s.WithContext("sealed tick file"); }

bool TickFileCursor::Fill(std::size_t n) {
  if (kind_ == TickFileKind::kOpen) return bytes_.size() - pos_ >= n;
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
  if (kind_ != TickFileKind::kSealed) return;
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
    status_ = Status::Corruption("sealed tick file: " + what + " (its LZ4 checksum was good, so it was written damaged)");
  }
  return false;
}

Status TickFileCursor::Open(std::string bytes, TickFileKind kind, TickDecode decode) {
  kind_ = kind;
  decode_ = decode;
  bytes_ = std::move(bytes);
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
  const bool sealed = kind_ == TickFileKind::kSealed;
  auto fail = [this](Status s) {
    finished_ = true;
    status_ = s;
    return s;
  };
  if (sealed) {
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
