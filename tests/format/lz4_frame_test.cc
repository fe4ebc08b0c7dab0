// LZ4 frames: round trip, the frame flags `lz4 -d` relies on, and every way a
// sealed file's compressed bytes can be damaged.
#include "format/lz4_frame.h"

#include <gtest/gtest.h>
#include <lz4frame.h>

#include <cstring>
#include <random>

namespace ibr::format {
namespace {

std::string SampleContent(std::size_t n) {
  std::mt19937 rng(3);
  std::string s;
  s.reserve(n);
  while (s.size() < n) s += "tick " + std::to_string(rng() % 100) + " ";
  s.resize(n);
  return s;
}

std::string Compress(std::string_view data, int level = 0) {
  auto r = Lz4CompressFrame(data, level);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::string();
}

TEST(Lz4FrameTest, RoundTripsAtEveryLevel) {
  const std::string content = SampleContent(300000);
  for (int level : {0, 1, 3, 4, 9, 12}) {
    const std::string frame = Compress(content, level);
    EXPECT_LT(frame.size(), content.size() / 2) << "level " << level;
    auto back = Lz4DecompressFrame(frame);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, content) << "level " << level;
  }
}

TEST(Lz4FrameTest, DecoderInSmallPiecesGivesTheSameContent) {
  const std::string content = SampleContent(700000);  // several 256 KiB blocks, linked
  const std::string frame = Compress(content, 4);
  Lz4FrameDecoder d;
  for (std::size_t piece : {std::size_t{7}, std::size_t{4096}, std::size_t{300000}}) {
    ASSERT_TRUE(d.Start(frame).ok());  // reused for each piece size
    EXPECT_EQ(d.content_size(), content.size());
    std::string out;
    std::string buf(piece, '\0');
    bool done = false;
    while (!done) {
      std::size_t n = 0;
      ASSERT_TRUE(d.Read(buf.data(), buf.size(), &n, &done).ok());
      out.append(buf, 0, n);
    }
    EXPECT_EQ(out, content) << "piece " << piece;
  }
  // Cut short: the content before the cut comes out, then "truncated".
  ASSERT_TRUE(d.Start(std::string_view(frame).substr(0, frame.size() - 10)).ok());
  std::string buf(1 << 20, '\0');
  std::size_t n = 0;
  bool done = false;
  Status s = d.Read(buf.data(), buf.size(), &n, &done);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("truncated"), std::string::npos) << s.message();
}

TEST(Lz4FrameTest, EmptyContentRoundTrips) {
  auto back = Lz4DecompressFrame(Compress(""));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, "");
}

TEST(Lz4FrameTest, FrameHasContentChecksumAndSizeButNoBlockChecksum) {
  const std::string content = SampleContent(1000);
  const std::string frame = Compress(content);
  ASSERT_GE(frame.size(), 15u);
  EXPECT_EQ(frame.substr(0, 4), std::string("\x04\x22\x4D\x18", 4));  // magic
  const auto flg = static_cast<unsigned char>(frame[4]);
  EXPECT_EQ(flg >> 6, 1u);          // version 01
  EXPECT_TRUE(flg & 0x04);          // content checksum
  EXPECT_TRUE(flg & 0x08);          // content size
  EXPECT_FALSE(flg & 0x10);         // block checksum off
  LZ4F_dctx* d = nullptr;
  ASSERT_FALSE(LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION)));
  LZ4F_frameInfo_t info;
  std::size_t n = frame.size();
  ASSERT_FALSE(LZ4F_isError(LZ4F_getFrameInfo(d, &info, frame.data(), &n)));
  LZ4F_freeDecompressionContext(d);
  EXPECT_EQ(info.contentSize, content.size());
}

TEST(Lz4FrameTest, HighLevelsCompressBetter) {
  const std::string content = SampleContent(300000);
  EXPECT_LT(Compress(content, 9).size(), Compress(content, 0).size());
}

TEST(Lz4FrameTest, BadLevelIsInvalidArgument) {
  EXPECT_EQ(Lz4CompressFrame("x", -1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Lz4CompressFrame("x", 13).status().code(), StatusCode::kInvalidArgument);
}

TEST(Lz4FrameTest, TruncatedLz4FrameIsCorruption) {
  const std::string frame = Compress(SampleContent(200000));
  for (std::size_t n = 0; n < frame.size(); n += (n < 64 || n + 64 > frame.size()) ? 1 : 97) {
    auto r = Lz4DecompressFrame(std::string_view(frame).substr(0, n));
    ASSERT_FALSE(r.ok()) << "truncated to " << n;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << "truncated to " << n;
  }
}

TEST(Lz4FrameTest, Lz4ChecksumMismatchIsCorruption) {
  const std::string frame = Compress(SampleContent(5000));
  std::string bad = frame;
  bad[bad.size() - 1] ^= 0x01;  // the content checksum itself
  auto r = Lz4DecompressFrame(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  EXPECT_NE(r.status().message().find("hecksum"), std::string::npos) << r.status().message();
}

TEST(Lz4FrameTest, DamagedCompressedBytesAreCorruption) {
  const std::string frame = Compress(SampleContent(5000));
  std::mt19937 rng(9);
  for (int i = 0; i < 200; ++i) {
    std::string bad = frame;
    const std::size_t at = 7 + rng() % (bad.size() - 7);  // past the frame header
    bad[at] = static_cast<char>(bad[at] ^ (1 + rng() % 255));
    auto r = Lz4DecompressFrame(bad);
    ASSERT_FALSE(r.ok()) << "byte " << at;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  }
}

TEST(Lz4FrameTest, GarbageAfterFrameIsCorruption) {
  const std::string frame = Compress(SampleContent(5000)) + "junk";
  auto r = Lz4DecompressFrame(frame);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  EXPECT_NE(r.status().message().find("garbage"), std::string::npos);
}

TEST(Lz4FrameTest, NotAnLz4FrameIsCorruption) {
  EXPECT_EQ(Lz4DecompressFrame("hello world, not lz4").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(Lz4DecompressFrame("").status().code(), StatusCode::kCorruption);
}

TEST(Lz4FrameTest, ImplausibleContentSizeIsRefusedBeforeAllocating) {
  // A frame header claiming 5 GiB, then nothing.
  LZ4F_preferences_t prefs;
  std::memset(&prefs, 0, sizeof(prefs));
  prefs.frameInfo.contentSize = 5ull << 30;
  prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  LZ4F_cctx* c = nullptr;
  ASSERT_FALSE(LZ4F_isError(LZ4F_createCompressionContext(&c, LZ4F_VERSION)));
  std::string header(LZ4F_HEADER_SIZE_MAX, '\0');
  const std::size_t n = LZ4F_compressBegin(c, header.data(), header.size(), &prefs);
  LZ4F_freeCompressionContext(c);
  ASSERT_FALSE(LZ4F_isError(n));
  header.resize(n);
  auto r = Lz4DecompressFrame(header);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  EXPECT_NE(r.status().message().find("4 GiB"), std::string::npos) << r.status().message();
  // 100 MB claimed by a few bytes is just as impossible.
  prefs.frameInfo.contentSize = 100ull << 20;
  ASSERT_FALSE(LZ4F_isError(LZ4F_createCompressionContext(&c, LZ4F_VERSION)));
  header.assign(LZ4F_HEADER_SIZE_MAX, '\0');
  header.resize(LZ4F_compressBegin(c, header.data(), header.size(), &prefs));
  LZ4F_freeCompressionContext(c);
  r = Lz4DecompressFrame(header);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("implausible"), std::string::npos) << r.status().message();
}

TEST(Lz4FrameTest, FrameWithoutContentSizeIsRead) {
  const std::string content = SampleContent(100000);
  LZ4F_preferences_t prefs;
  std::memset(&prefs, 0, sizeof(prefs));
  prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  std::string frame(LZ4F_compressFrameBound(content.size(), &prefs), '\0');
  frame.resize(LZ4F_compressFrame(frame.data(), frame.size(), content.data(), content.size(), &prefs));
  auto back = Lz4DecompressFrame(frame);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, content);
  auto torn = Lz4DecompressFrame(std::string_view(frame).substr(0, frame.size() - 3));
  EXPECT_EQ(torn.status().code(), StatusCode::kCorruption);
}

TEST(Lz4FrameTest, ContentChecksumIsXxh32Hex) {
  EXPECT_EQ(ContentChecksum(""), "xxh32:02cc5d05");
  EXPECT_EQ(ContentChecksum("abc"), "xxh32:32d153ff");
  EXPECT_NE(ContentChecksum("abd"), ContentChecksum("abc"));
}

}  // namespace
}  // namespace ibr::format
