// Whole tick files, open and sealed: round trip, pass-through bodies, and each
// kind of damage with the offset recovery cuts at.
#include "format/tick_file.h"

#include <gtest/gtest.h>

#include "format/frame.h"
#include "format/lz4_frame.h"
#include "format/tick_codec.h"
#include "sample_ticks.h"

namespace ibr::format {
namespace {

using testing::AllSampleTicks;
using testing::Header;
using testing::MakeOpenFile;
using testing::OpenFile;
using testing::RealisticQuotes;
using testing::Sealed;

TickFileContents DecodeOpen(std::string bytes, bool raw = false) {
  auto r = DecodeTickFile(std::move(bytes), TickFileKind::kOpen, raw);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : TickFileContents{};
}

std::vector<Tick> Prefix(const std::vector<Tick>& v, std::size_t n) {
  return std::vector<Tick>(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
}

TEST(TickFileTest, KindFromPath) {
  EXPECT_EQ(KindFromPath("/s/protobuf/1/last/2025/08/01/01_ticks.pb"), TickFileKind::kOpen);
  EXPECT_EQ(KindFromPath("/s/protobuf/1/last/2025/08/01/01_ticks.pb.lz4"), TickFileKind::kSealed);
  EXPECT_EQ(KindFromPath("01_ticks.part2.pb"), TickFileKind::kOpen);
  EXPECT_EQ(KindFromPath("01_ticks.part2.pb.lz4"), TickFileKind::kSealed);
}

TEST(TickFileTest, OpenFileRoundTrips) {
  const auto ticks = AllSampleTicks();
  const OpenFile f = MakeOpenFile(ticks);
  TickFileContents c = DecodeOpen(f.bytes, /*raw=*/true);
  EXPECT_EQ(c.header, Header(0, "none"));
  EXPECT_EQ(c.ticks, ticks);
  EXPECT_FALSE(c.damage.has_value());
  ASSERT_EQ(c.raw_bodies.size(), ticks.size());
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    std::string plain;
    EncodeTickMessage(ticks[i], Checksum::kNone, plain);
    EXPECT_EQ(c.raw_bodies[i], plain) << "tick " << i;  // CRC excluded
  }
}

TEST(TickFileTest, HeaderOnlyFileHasNoTicks) {
  const OpenFile f = MakeOpenFile({});
  TickFileContents c = DecodeOpen(f.bytes);
  EXPECT_TRUE(c.ticks.empty());
  EXPECT_FALSE(c.damage.has_value());
}

TEST(TickFileTest, RawBodiesAreOnlyFilledWhenAsked) {
  TickFileContents c = DecodeOpen(MakeOpenFile(AllSampleTicks()).bytes, /*raw=*/false);
  EXPECT_TRUE(c.raw_bodies.empty());
}

TEST(TickFileTest, TornTailIsNotReturned) {
  const auto ticks = AllSampleTicks();
  const OpenFile f = MakeOpenFile(ticks);
  const std::uint64_t last = f.offsets[ticks.size() - 1];
  for (std::uint64_t cut = last + 1; cut < f.bytes.size(); ++cut) {
    TickFileContents c = DecodeOpen(f.bytes.substr(0, cut));
    EXPECT_EQ(c.ticks, Prefix(ticks, ticks.size() - 1)) << "cut at " << cut;
    ASSERT_TRUE(c.damage.has_value());
    EXPECT_EQ(c.damage->valid_bytes, last);
    EXPECT_NE(c.damage->what.find("torn tail"), std::string::npos) << c.damage->what;
  }
}

// --- Resynchronisation: each corruption case by name (FORMAT.md, "How readers decide") ---

std::vector<Tick> AllBut(const std::vector<Tick>& v, std::size_t k) {
  std::vector<Tick> out = v;
  out.erase(out.begin() + static_cast<std::ptrdiff_t>(k));
  return out;
}

TEST(TickFileTest, ZerosBetweenFramesAreSkipped) {
  const auto ticks = AllSampleTicks();
  OpenFile f = MakeOpenFile(Prefix(ticks, 3));
  const std::uint64_t cut = f.bytes.size();
  f.bytes += std::string(4, '\0');  // a pre-allocated, never written block after a crash
  f.bytes += MakeOpenFile(ticks).bytes.substr(f.offsets[0]);
  TickFileContents c = DecodeOpen(f.bytes);
  std::vector<Tick> want = Prefix(ticks, 3);
  want.insert(want.end(), ticks.begin(), ticks.end());
  EXPECT_EQ(c.ticks, want);
  EXPECT_FALSE(c.damage.has_value());
  ASSERT_EQ(c.skipped.size(), 1u);
  EXPECT_EQ(c.skipped[0].offset, cut);
  EXPECT_EQ(c.skipped[0].length, 4u);
  EXPECT_NE(c.skipped[0].what.find("zero-length"), std::string::npos) << c.skipped[0].what;
}

TEST(TickFileTest, BadChecksumInTheMiddleSkipsOnlyThatFrame) {
  const auto ticks = AllSampleTicks();
  const OpenFile f = MakeOpenFile(ticks);
  for (std::size_t k = 0; k + 1 < ticks.size(); ++k) {
    std::string bytes = f.bytes;
    bytes[f.offsets[k + 1] - 7] ^= 0x04;  // a byte just before frame k's CRC field
    TickFileContents c = DecodeOpen(bytes);
    EXPECT_EQ(c.ticks, AllBut(ticks, k)) << "frame " << k;
    EXPECT_FALSE(c.damage.has_value());
    ASSERT_EQ(c.skipped.size(), 1u);
    EXPECT_EQ(c.skipped[0].offset, f.offsets[k]);
    EXPECT_EQ(c.skipped[0].length, f.offsets[k + 1] - f.offsets[k]);
    EXPECT_NE(c.skipped[0].what.find("tick frame " + std::to_string(k)), std::string::npos) << c.skipped[0].what;
  }
}

TEST(TickFileTest, BadChecksumInTheLastFrameIsATail) {
  const auto ticks = AllSampleTicks();
  const OpenFile f = MakeOpenFile(ticks);
  std::string bytes = f.bytes;
  bytes[bytes.size() - 7] ^= 0x04;
  TickFileContents c = DecodeOpen(bytes);
  EXPECT_EQ(c.ticks, Prefix(ticks, ticks.size() - 1));
  EXPECT_TRUE(c.skipped.empty());
  ASSERT_TRUE(c.damage.has_value());
  EXPECT_EQ(c.damage->valid_bytes, f.offsets[ticks.size() - 1]);
}

TEST(TickFileTest, FlippedCrcByteIsBadChecksum) {
  const auto ticks = AllSampleTicks();
  const OpenFile f = MakeOpenFile(ticks);
  std::string bytes = f.bytes;
  bytes[f.offsets[2] - 1] ^= 0x80;  // last byte of tick 1's CRC
  TickFileContents c = DecodeOpen(bytes);
  EXPECT_EQ(c.ticks, AllBut(ticks, 1));
  ASSERT_EQ(c.skipped.size(), 1u);
  EXPECT_EQ(c.skipped[0].offset, f.offsets[1]);
  EXPECT_NE(c.skipped[0].what.find("bad checksum"), std::string::npos) << c.skipped[0].what;
}

TEST(TickFileTest, DamagedLengthResynchronisesOnTheNextFrame) {
  const auto ticks = RealisticQuotes(40);
  const OpenFile f = MakeOpenFile(ticks);
  // Longer, shorter, zero and past the 16 MiB bound: each costs frame 10 only.
  for (std::uint32_t len : {1u, 50u, 200u, 5000u, 0u, kMaxFrameBytes + 7}) {
    std::string bytes = f.bytes;
    const std::uint64_t at = f.offsets[10];
    bytes[at] = static_cast<char>(len >> 24);
    bytes[at + 1] = static_cast<char>(len >> 16);
    bytes[at + 2] = static_cast<char>(len >> 8);
    bytes[at + 3] = static_cast<char>(len);
    TickFileContents c = DecodeOpen(bytes);
    EXPECT_EQ(c.ticks, AllBut(ticks, 10)) << "length " << len;
    ASSERT_EQ(c.skipped.size(), 1u) << "length " << len;
    EXPECT_EQ(c.skipped[0].offset, at);
    EXPECT_EQ(c.skipped[0].offset + c.skipped[0].length, f.offsets[11]);
    EXPECT_FALSE(c.damage.has_value());
  }
}

TEST(TickFileTest, TwoDamagedFramesAreSkippedSeparately) {
  const auto ticks = RealisticQuotes(30);
  const OpenFile f = MakeOpenFile(ticks);
  std::string bytes = f.bytes;
  bytes[f.offsets[5] + 20] ^= 0x10;
  bytes[f.offsets[20] + 30] ^= 0x01;
  TickFileContents c = DecodeOpen(bytes);
  EXPECT_EQ(c.ticks, AllBut(AllBut(ticks, 20), 5));
  ASSERT_EQ(c.skipped.size(), 2u);
  EXPECT_EQ(c.skipped[0].offset, f.offsets[5]);
  EXPECT_EQ(c.skipped[1].offset, f.offsets[20]);
}

TEST(TickFileTest, GarbageInsertedBetweenFramesIsSkipped) {
  const auto ticks = RealisticQuotes(10);
  const OpenFile f = MakeOpenFile(ticks);
  static const char kGarbage[] = "\x00\x00\x00\x05hello\xde\xad\xbe\xef junk \x7d\x01\x02\x03\x04";
  const std::string garbage(kGarbage, sizeof kGarbage - 1);
  std::string bytes = f.bytes.substr(0, f.offsets[4]) + garbage + f.bytes.substr(f.offsets[4]);
  TickFileContents c = DecodeOpen(bytes);
  EXPECT_EQ(c.ticks, ticks);
  ASSERT_EQ(c.skipped.size(), 1u);
  EXPECT_EQ(c.skipped[0].offset, f.offsets[4]);
  EXPECT_EQ(c.skipped[0].length, garbage.size());
}

TEST(TickFileTest, EveryByteFlipCostsAtMostTheTickItHits) {
  const auto ticks = RealisticQuotes(12);
  const OpenFile f = MakeOpenFile(ticks);
  for (std::uint64_t i = f.offsets[0]; i < f.bytes.size(); ++i) {
    for (unsigned char mask : {0x01, 0x80, 0xff}) {
      std::string bytes = f.bytes;
      bytes[i] = static_cast<char>(bytes[i] ^ mask);
      TickFileContents c = DecodeOpen(bytes);
      std::size_t k = 0;  // the frame holding byte i
      while (k + 1 < f.offsets.size() && f.offsets[k + 1] <= i) ++k;
      EXPECT_EQ(c.ticks, AllBut(ticks, k)) << "byte " << i << " mask " << int{mask};
      EXPECT_EQ(c.skipped.size() + (c.damage ? 1 : 0), 1u) << "byte " << i;
    }
  }
}

TEST(TickFileTest, FindNextTickFrameFindsNothingInRandomBytes) {
  std::string noise;
  std::uint32_t x = 12345;
  for (int i = 0; i < 200000; ++i) {
    x = x * 1103515245u + 12345u;
    noise.push_back(static_cast<char>(x >> 24));
  }
  EXPECT_FALSE(FindNextTickFrame(noise, 0).has_value());
  const OpenFile f = MakeOpenFile(RealisticQuotes(3));
  const std::string tail = f.bytes.substr(f.offsets[1]);
  EXPECT_EQ(FindNextTickFrame(noise + tail, 0), noise.size());
}

TEST(TickFileTest, MessageWithoutChecksumInOpenFileStopsReading) {
  const auto ticks = AllSampleTicks();
  OpenFile f = MakeOpenFile(Prefix(ticks, 2));
  std::string body;
  EncodeTickMessage(ticks[2], Checksum::kNone, body);
  AppendFrame(f.bytes, body);
  TickFileContents c = DecodeOpen(f.bytes);
  EXPECT_EQ(c.ticks, Prefix(ticks, 2));
  ASSERT_TRUE(c.damage.has_value());
  EXPECT_EQ(c.damage->valid_bytes, f.offsets[2]);
  EXPECT_NE(c.damage->what.find("missing checksum"), std::string::npos) << c.damage->what;
}

TEST(TickFileTest, GarbageAfterEndIsDetected) {
  const auto ticks = AllSampleTicks();
  const OpenFile f = MakeOpenFile(ticks);
  // Small lengths with garbage bodies, a huge length, and random-looking bytes.
  for (const std::string& garbage :
       {std::string("\x00\x00\x00\x05hello", 9), std::string("\x00\x00\x00\x07\x0A\x04tick\x22", 11),
        std::string("\xde\xad\xbe\xef\x01\x02\x03\x04", 8), std::string("\x01", 1)}) {
    TickFileContents c = DecodeOpen(f.bytes + garbage);
    EXPECT_EQ(c.ticks, ticks);
    ASSERT_TRUE(c.damage.has_value());
    EXPECT_EQ(c.damage->valid_bytes, f.bytes.size());
  }
}

TEST(TickFileTest, OversizedLengthIsGarbage) {
  const auto ticks = AllSampleTicks();
  OpenFile f = MakeOpenFile(ticks);
  AppendBigEndian32(f.bytes, kMaxFrameBytes + 1);
  f.bytes += std::string(100, 'x');
  TickFileContents c = DecodeOpen(f.bytes);
  EXPECT_EQ(c.ticks, ticks);
  ASSERT_TRUE(c.damage.has_value());
  EXPECT_EQ(c.damage->valid_bytes, f.offsets.back());
  EXPECT_NE(c.damage->what.find("oversized"), std::string::npos) << c.damage->what;
}

TEST(TickFileTest, CuttingAtValidBytesRecoversACleanFile) {
  const auto ticks = RealisticQuotes(200);
  const OpenFile f = MakeOpenFile(ticks);
  const std::string torn = f.bytes.substr(0, f.offsets[150] + 10);
  TickFileContents c = DecodeOpen(torn);
  ASSERT_TRUE(c.damage.has_value());
  TickFileContents recovered = DecodeOpen(torn.substr(0, c.damage->valid_bytes));
  EXPECT_FALSE(recovered.damage.has_value());
  EXPECT_EQ(recovered.ticks, Prefix(ticks, 150));
  // Appending after the cut continues a valid file.
  std::string continued = torn.substr(0, c.damage->valid_bytes) + f.bytes.substr(f.offsets[150]);
  EXPECT_EQ(DecodeOpen(continued).ticks, ticks);
}

TEST(TickFileTest, UnreadableHeaderIsCorruption) {
  const OpenFile f = MakeOpenFile(AllSampleTicks());
  for (std::size_t cut : {0, 2, 4, 10}) {
    auto r = DecodeTickFile(f.bytes.substr(0, cut), TickFileKind::kOpen, false);
    ASSERT_FALSE(r.ok()) << "cut " << cut;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  }
  std::string garbage_header;
  AppendFrame(garbage_header, "\xff\xff\xff\xff");
  auto r = DecodeTickFile(garbage_header, TickFileKind::kOpen, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
}

TEST(TickFileTest, SealedFileRoundTrips) {
  const auto ticks = RealisticQuotes(1000);
  for (int level : {0, 4}) {
    auto r = DecodeTickFile(Sealed(ticks, level), TickFileKind::kSealed, /*raw=*/true);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->header, Header(ticks.size(), "lz4"));
    EXPECT_EQ(r->ticks, ticks);
    EXPECT_FALSE(r->damage.has_value());
    ASSERT_EQ(r->raw_bodies.size(), ticks.size());
    for (std::size_t i = 0; i < ticks.size(); i += 97) {
      std::string plain;
      EncodeTickMessage(ticks[i], Checksum::kNone, plain);
      EXPECT_EQ(r->raw_bodies[i], plain);
    }
  }
}

TEST(TickFileTest, SealedContentHasNoChecksums) {
  const auto ticks = AllSampleTicks();
  const std::string content = EncodeSealedContent(Header(ticks.size(), "lz4"), ticks);
  FrameReader reader(content);
  std::string_view body;
  ASSERT_TRUE(reader.Next(&body));
  EXPECT_EQ(*DecodeFileHeader(body), Header(ticks.size(), "lz4"));
  std::size_t i = 0;
  while (reader.Next(&body)) {
    std::string plain;
    EncodeTickMessage(ticks[i++], Checksum::kNone, plain);
    EXPECT_EQ(body, plain);
  }
  EXPECT_EQ(i, ticks.size());
  EXPECT_EQ(reader.stop(), FrameStop::kEnd);
}

TEST(TickFileTest, RawBodiesPointIntoStorageAfterMoves) {
  auto r = DecodeTickFile(Sealed(AllSampleTicks()), TickFileKind::kSealed, true);
  ASSERT_TRUE(r.ok());
  TickFileContents moved = std::move(r).value();
  TickFileContents again = std::move(moved);
  const char* begin = again.storage.data();
  const char* end = begin + again.storage.size();
  ASSERT_FALSE(again.raw_bodies.empty());
  for (std::string_view b : again.raw_bodies) {
    EXPECT_GE(b.data(), begin);
    EXPECT_LE(b.data() + b.size(), end);
  }
  std::string plain;
  EncodeTickMessage(again.ticks[0], Checksum::kNone, plain);
  EXPECT_EQ(again.raw_bodies[0], plain);
}

TEST(TickFileTest, TruncatedSealedFileIsCorruption) {
  const std::string sealed = Sealed(RealisticQuotes(500));
  for (std::size_t cut : {std::size_t{0}, std::size_t{10}, sealed.size() / 2, sealed.size() - 1}) {
    auto r = DecodeTickFile(sealed.substr(0, cut), TickFileKind::kSealed, false);
    ASSERT_FALSE(r.ok()) << "cut " << cut;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  }
}

TEST(TickFileTest, DamagedFramesInsideGoodLz4AreCorruption) {
  // Written damaged: the LZ4 checksum is good, the frames inside are not.
  const auto ticks = AllSampleTicks();
  std::string content = EncodeSealedContent(Header(ticks.size(), "lz4"), ticks);
  content += std::string("\x00\x00\x00\x03xyz", 7);
  auto r = DecodeTickFile(*Lz4CompressFrame(content, 0), TickFileKind::kSealed, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);

  content = EncodeSealedContent(Header(ticks.size(), "lz4"), ticks);
  content.resize(content.size() - 1);  // torn last frame
  r = DecodeTickFile(*Lz4CompressFrame(content, 0), TickFileKind::kSealed, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
}

TEST(TickFileTest, SealedFileMayCarryVerifiedChecksums) {
  // kIfPresent: an imported sealed file whose messages kept their CRCs reads,
  // with the CRC stripped from the pass-through body; a wrong CRC does not.
  const auto ticks = AllSampleTicks();
  OpenFile f = MakeOpenFile(ticks);
  auto r = DecodeTickFile(*Lz4CompressFrame(f.bytes, 0), TickFileKind::kSealed, true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->ticks, ticks);
  std::string plain;
  EncodeTickMessage(ticks[0], Checksum::kNone, plain);
  EXPECT_EQ(r->raw_bodies[0], plain);
  f.bytes[f.offsets[1] - 1] ^= 1;
  r = DecodeTickFile(*Lz4CompressFrame(f.bytes, 0), TickFileKind::kSealed, false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bad checksum"), std::string::npos);
}

}  // namespace
}  // namespace ibr::format
