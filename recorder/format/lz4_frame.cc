// LZ4 frame (de)compression through the LZ4F API, and the xxh32 content
// checksum kept in the catalog.
#include "format/lz4_frame.h"

#include <lz4frame.h>
#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

namespace ibr::format {
namespace {

constexpr std::uint64_t kMaxContentBytes = 4ull << 30;  // refuse to inflate beyond 4 GiB
// LZ4 cannot compress better than ~255:1; a header claiming more is lying.
constexpr std::uint64_t kMaxRatio = 256;
constexpr std::uint64_t kRatioSlack = 1u << 20;

struct DctxDeleter {
  void operator()(LZ4F_dctx* d) const { LZ4F_freeDecompressionContext(d); }
};

Status Bad(const std::string& what) { return Status::Corruption("LZ4 frame: " + what); }

}  // namespace

Result<std::string> Lz4CompressFrame(std::string_view data, int level) {
  if (level < 0 || level > 12) {
    return Status::InvalidArgument("LZ4 level " + std::to_string(level) +
                                   " is out of range: use 0 (default, fast) or 3..12 (HC)");
  }
  LZ4F_preferences_t prefs;
  std::memset(&prefs, 0, sizeof(prefs));
  prefs.frameInfo.blockSizeID = LZ4F_max256KB;
  prefs.frameInfo.blockMode = LZ4F_blockLinked;
  prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  prefs.frameInfo.blockChecksumFlag = LZ4F_noBlockChecksum;
  prefs.frameInfo.contentSize = data.size();
  prefs.compressionLevel = level;
  std::string out(LZ4F_compressFrameBound(data.size(), &prefs), '\0');
  const std::size_t n = LZ4F_compressFrame(out.data(), out.size(), data.data(), data.size(), &prefs);
  if (LZ4F_isError(n)) {
    return Status::Internal(std::string("LZ4 compression failed: ") + LZ4F_getErrorName(n));
  }
  out.resize(n);
  return out;
}

Result<std::string> Lz4DecompressFrame(std::string_view frame) {
  LZ4F_dctx* raw = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&raw, LZ4F_VERSION))) {
    return Status::Internal("LZ4: cannot create a decompression context (out of memory?)");
  }
  std::unique_ptr<LZ4F_dctx, DctxDeleter> dctx(raw);

  LZ4F_frameInfo_t info;
  std::size_t src_pos = frame.size();
  std::size_t r = LZ4F_getFrameInfo(dctx.get(), &info, frame.data(), &src_pos);
  if (LZ4F_isError(r)) return Bad(std::string("bad header: ") + LZ4F_getErrorName(r));

  // contentSize 0 means "not recorded" (e.g. a file written by another tool).
  const bool size_known = info.contentSize != 0;
  if (info.contentSize > kMaxContentBytes) {
    return Bad("content size " + std::to_string(info.contentSize) + " is above the 4 GiB limit");
  }
  if (info.contentSize > frame.size() * kMaxRatio + kRatioSlack) {
    return Bad("content size " + std::to_string(info.contentSize) +
               " is implausible for a frame of " + std::to_string(frame.size()) + " bytes");
  }
  std::string out;
  out.resize(size_known ? static_cast<std::size_t>(info.contentSize)
                        : std::min<std::size_t>(frame.size() * 4 + 1024, kMaxContentBytes));
  std::size_t dst_pos = 0;
  for (;;) {
    std::size_t dst_avail = out.size() - dst_pos;
    std::size_t src_avail = frame.size() - src_pos;
    r = LZ4F_decompress(dctx.get(), out.data() + dst_pos, &dst_avail, frame.data() + src_pos,
                        &src_avail, nullptr);
    if (LZ4F_isError(r)) return Bad(LZ4F_getErrorName(r));
    src_pos += src_avail;
    dst_pos += dst_avail;
    if (r == 0) break;  // frame complete, content checksum verified
    const bool out_full = dst_pos == out.size();
    const bool progress = src_avail != 0 || dst_avail != 0;
    if (src_pos == frame.size() && (!out_full || size_known)) return Bad("truncated");
    if (!progress || src_pos == frame.size()) {
      if (!out_full) return Bad("decoder made no progress");
      if (size_known) return Bad("more content than the header's content size");
      if (out.size() >= kMaxContentBytes) return Bad("content above the 4 GiB limit");
      out.resize(std::min<std::size_t>(out.size() * 2, kMaxContentBytes));
    }
  }
  if (src_pos != frame.size()) {
    return Bad(std::to_string(frame.size() - src_pos) + " bytes of garbage after the frame's end");
  }
  if (size_known && dst_pos != out.size()) return Bad("less content than the header's content size");
  out.resize(dst_pos);
  return out;
}

std::string ContentChecksum(std::string_view content) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "xxh32:%08x",
                static_cast<unsigned>(XXH32(content.data(), content.size(), 0)));
  return buf;
}

}  // namespace ibr::format
