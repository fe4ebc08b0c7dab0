// LZ4 frame (de)compression through the LZ4F API, and the xxh32 content
// checksum kept in the catalog.
#include "format/lz4_frame.h"

#include <lz4frame.h>
#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

#include "format/wire.h"

namespace ibr::format {

// Owners of the LZ4/xxHash C handles (named, not file-local: the codec contexts below hold them).
struct DctxDeleter {
  void operator()(LZ4F_dctx* d) const { LZ4F_freeDecompressionContext(d); }
};
struct CctxDeleter {
  void operator()(LZ4F_cctx* c) const { LZ4F_freeCompressionContext(c); }
};
struct XxhDeleter {
  void operator()(XXH32_state_t* s) const { XXH32_freeState(s); }
};

namespace {

constexpr std::uint64_t kMaxContentBytes = 4ull << 30;  // refuse to inflate beyond 4 GiB
// LZ4 cannot compress better than ~255:1; a header claiming more is lying.
constexpr std::uint64_t kMaxRatio = 256;
constexpr std::uint64_t kRatioSlack = 1u << 20;

Status BadFrame(const std::string& what) { return Status::Corruption("LZ4 frame: " + what); }

Status CheckLevel(int level) {
  if (level < 0 || level > 12) {
    return Status::InvalidArgument("LZ4 level " + std::to_string(level) +
                                   " is out of range: use 0 (default, fast) or 3..12 (HC)");
  }
  return Status::Ok();
}

// The sealed-file frame settings (FORMAT.md "Sealed files").
LZ4F_preferences_t SealedPrefs(std::uint64_t content_size, int level) {
  LZ4F_preferences_t prefs;
  std::memset(&prefs, 0, sizeof(prefs));
  prefs.frameInfo.blockSizeID = LZ4F_max256KB;
  prefs.frameInfo.blockMode = LZ4F_blockLinked;
  prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  prefs.frameInfo.blockChecksumFlag = LZ4F_noBlockChecksum;
  prefs.frameInfo.contentSize = content_size;
  prefs.compressionLevel = level;
  return prefs;
}


// True when `rest` is empty or whole LZ4 skippable frames (magic 0x184D2A5?,
// a 4-byte size, that many bytes): a seekable file's block index follows its frame.
bool OnlySkippableFramesFollow(std::string_view rest) {
  while (!rest.empty()) {
    if (rest.size() < 8) return false;
    const std::uint32_t magic = wire::LoadFixed32(rest.data());
    const std::uint32_t size = wire::LoadFixed32(rest.data() + 4);
    if ((magic & 0xFFFFFFF0u) != 0x184D2A50u || rest.size() - 8 < size) return false;
    rest.remove_prefix(8 + std::size_t{size});
  }
  return true;
}

}  // namespace

struct Lz4FrameEncoder::Context {
  std::unique_ptr<LZ4F_cctx, CctxDeleter> cctx;
  std::unique_ptr<XXH32_state_t, XxhDeleter> xxh;
  LZ4F_preferences_t prefs;
};

Lz4FrameEncoder::Lz4FrameEncoder() : ctx_(std::make_unique<Context>()) {}
Lz4FrameEncoder::~Lz4FrameEncoder() = default;

Status Lz4FrameEncoder::Start(std::uint64_t content_size, int level) {
  IBR_RETURN_IF_ERROR(CheckLevel(level));
  LZ4F_cctx* raw = nullptr;
  if (LZ4F_isError(LZ4F_createCompressionContext(&raw, LZ4F_VERSION))) {
    return Status::Internal("LZ4: cannot create a compression context (out of memory?)");
  }
  ctx_->cctx.reset(raw);
  ctx_->xxh.reset(XXH32_createState());
  if (!ctx_->xxh) return Status::Internal("xxHash: cannot create a state (out of memory?)");
  XXH32_reset(ctx_->xxh.get(), 0);
  ctx_->prefs = SealedPrefs(content_size, level);
  declared_ = content_size;
  given_ = 0;
  out_.resize(LZ4F_HEADER_SIZE_MAX);
  const std::size_t n = LZ4F_compressBegin(ctx_->cctx.get(), out_.data(), out_.size(), &ctx_->prefs);
  if (LZ4F_isError(n)) return Status::Internal(std::string("LZ4 compression failed: ") + LZ4F_getErrorName(n));
  out_.resize(n);
  return Status::Ok();
}

Status Lz4FrameEncoder::Write(std::string_view data) {
  if (!ctx_->cctx) return Status::Internal("LZ4 frame encoder used without a successful Start()");
  XXH32_update(ctx_->xxh.get(), data.data(), data.size());
  given_ += data.size();
  const std::size_t used = out_.size();
  out_.resize(used + LZ4F_compressBound(data.size(), &ctx_->prefs));
  const std::size_t n =
      LZ4F_compressUpdate(ctx_->cctx.get(), out_.data() + used, out_.size() - used, data.data(), data.size(), nullptr);
  if (LZ4F_isError(n)) return Status::Internal(std::string("LZ4 compression failed: ") + LZ4F_getErrorName(n));
  out_.resize(used + n);
  return Status::Ok();
}

Status Lz4FrameEncoder::Finish() {
  if (!ctx_->cctx) return Status::Internal("LZ4 frame encoder used without a successful Start()");
  if (given_ != declared_) {
    return Status::InvalidArgument("LZ4 frame: " + std::to_string(given_) + " content bytes given, " +
                                   std::to_string(declared_) + " declared");
  }
  const std::size_t used = out_.size();
  out_.resize(used + LZ4F_compressBound(0, &ctx_->prefs));
  const std::size_t n = LZ4F_compressEnd(ctx_->cctx.get(), out_.data() + used, out_.size() - used, nullptr);
  if (LZ4F_isError(n)) return Status::Internal(std::string("LZ4 compression failed: ") + LZ4F_getErrorName(n));
  out_.resize(used + n);
  ctx_->cctx.reset();
  return Status::Ok();
}

std::string Lz4FrameEncoder::checksum() const {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "xxh32:%08x", static_cast<unsigned>(XXH32_digest(ctx_->xxh.get())));
  return buf;
}

Result<std::string> Lz4CompressFrame(std::string_view data, int level) {
  IBR_RETURN_IF_ERROR(CheckLevel(level));
  LZ4F_preferences_t prefs = SealedPrefs(data.size(), level);
  std::string out(LZ4F_compressFrameBound(data.size(), &prefs), '\0');
  const std::size_t n = LZ4F_compressFrame(out.data(), out.size(), data.data(), data.size(), &prefs);
  if (LZ4F_isError(n)) {
    return Status::Internal(std::string("LZ4 compression failed: ") + LZ4F_getErrorName(n));
  }
  out.resize(n);
  return out;
}

struct Lz4FrameDecoder::Context {
  std::unique_ptr<LZ4F_dctx, DctxDeleter> dctx;
};

Lz4FrameDecoder::Lz4FrameDecoder() : ctx_(std::make_unique<Context>()) {}
Lz4FrameDecoder::~Lz4FrameDecoder() = default;

Status Lz4FrameDecoder::Start(std::string_view frame) {
  if (!ctx_->dctx) {
    LZ4F_dctx* raw = nullptr;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&raw, LZ4F_VERSION))) {
      return Status::Internal("LZ4: cannot create a decompression context (out of memory?)");
    }
    ctx_->dctx.reset(raw);
  } else {
    LZ4F_resetDecompressionContext(ctx_->dctx.get());
  }
  frame_ = frame;
  produced_ = 0;
  done_ = false;

  LZ4F_frameInfo_t info;
  src_pos_ = frame.size();
  const std::size_t r = LZ4F_getFrameInfo(ctx_->dctx.get(), &info, frame.data(), &src_pos_);
  if (LZ4F_isError(r)) {
    // A failed header leaves the context unusable: start over next time.
    ctx_->dctx.reset();
    return BadFrame(std::string("bad header: ") + LZ4F_getErrorName(r));
  }
  // contentSize 0 means "not recorded" (e.g. a file written by another tool).
  content_size_ = info.contentSize;
  if (info.contentSize > kMaxContentBytes) {
    ctx_->dctx.reset();
    return BadFrame("content size " + std::to_string(info.contentSize) + " is above the 4 GiB limit");
  }
  if (info.contentSize > frame.size() * kMaxRatio + kRatioSlack) {
    ctx_->dctx.reset();
    return BadFrame("content size " + std::to_string(info.contentSize) + " is implausible for a frame of " +
               std::to_string(frame.size()) + " bytes");
  }
  return Status::Ok();
}

Status Lz4FrameDecoder::Read(char* dst, std::size_t capacity, std::size_t* written, bool* done) {
  *written = 0;
  *done = done_;
  if (done_) return Status::Ok();
  if (!ctx_->dctx) return Status::Internal("LZ4 frame decoder used without a successful Start()");
  const bool size_known = content_size_ != 0;
  // LZ4 inflates a block straight into dst only when a whole block (256 KiB
  // for our files) fits; otherwise into its own buffer and then copies. Once
  // something was produced, stop before such a short tail.
  constexpr std::size_t kDirectBlockBytes = 256 * 1024;
  while (*written < capacity && (*written == 0 || capacity - *written >= kDirectBlockBytes)) {
    std::size_t dst_avail = capacity - *written;
    std::size_t src_avail = frame_.size() - src_pos_;
    const std::size_t r = LZ4F_decompress(ctx_->dctx.get(), dst + *written, &dst_avail, frame_.data() + src_pos_,
                                          &src_avail, nullptr);
    if (LZ4F_isError(r)) {
      ctx_->dctx.reset();
      return BadFrame(LZ4F_getErrorName(r));
    }
    src_pos_ += src_avail;
    *written += dst_avail;
    produced_ += dst_avail;
    if (size_known && produced_ > content_size_) return BadFrame("more content than the header's content size");
    if (!size_known && produced_ > kMaxContentBytes) return BadFrame("content above the 4 GiB limit");
    if (r == 0) {  // frame complete, content checksum verified
      if (!OnlySkippableFramesFollow(frame_.substr(src_pos_))) {
        return BadFrame(std::to_string(frame_.size() - src_pos_) + " bytes of garbage after the frame's end");
      }
      if (size_known && produced_ != content_size_) return BadFrame("less content than the header's content size");
      done_ = true;
      *done = true;
      return Status::Ok();
    }
    if (src_avail == 0 && dst_avail == 0) {
      return BadFrame(src_pos_ == frame_.size() ? "truncated" : "decoder made no progress");
    }
  }
  return Status::Ok();
}

Result<std::string> Lz4DecompressFrame(std::string_view frame) {
  Lz4FrameDecoder decoder;
  IBR_RETURN_IF_ERROR(decoder.Start(frame));
  const std::uint64_t declared = decoder.content_size();
  std::string out;
  out.resize(declared != 0 ? static_cast<std::size_t>(declared)
                           : std::min<std::size_t>(frame.size() * 4 + 1024, kMaxContentBytes));
  std::size_t used = 0;
  char spare[64];  // past a declared size: only to finish the frame (more content is an error)
  for (;;) {
    char* dst = out.data() + used;
    std::size_t room = out.size() - used;
    if (room == 0 && declared != 0) {
      dst = spare;
      room = sizeof spare;
    } else if (room == 0) {
      out.resize(std::min<std::size_t>(out.size() * 2 + 1, kMaxContentBytes + 1));
      continue;
    }
    std::size_t n = 0;
    bool done = false;
    IBR_RETURN_IF_ERROR(decoder.Read(dst, room, &n, &done));
    if (dst != spare) used += n;
    if (done) break;
  }
  out.resize(used);
  return out;
}

std::string ContentChecksum(std::string_view content) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "xxh32:%08x",
                static_cast<unsigned>(XXH32(content.data(), content.size(), 0)));
  return buf;
}

}  // namespace ibr::format
