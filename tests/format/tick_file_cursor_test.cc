// TickFileCursor: streaming reads of open and sealed files agree with the
// whole-file reader across window refills, frames larger than the window,
// key-only decoding, rewinds, and damage found part way through.
#include "format/tick_file_cursor.h"

#include <gtest/gtest.h>

#include "format/tick_codec.h"
#include "sample_ticks.h"

namespace ibr::format {
namespace {

using testing::AllSampleTicks;
using testing::FullTick;
using testing::MakeOpenFile;
using testing::RealisticQuotes;
using testing::Sealed;

std::string PlainBody(const Tick& t) {
  std::string body;
  EncodeTickMessage(t, Checksum::kNone, body);
  return body;
}

// Reads every tick with `decode`; checks each body against the tick's own encoding.
std::vector<Tick> ReadAll(TickFileCursor& c, const std::vector<Tick>& expected_bodies_of = {}) {
  std::vector<Tick> out;
  while (c.Next()) {
    if (out.size() < expected_bodies_of.size()) {
      EXPECT_EQ(c.body(), PlainBody(expected_bodies_of[out.size()])) << "tick " << out.size();
    }
    out.push_back(c.tick());
  }
  return out;
}

TEST(TickFileCursorTest, SealedFileLargerThanTheWindowStreamsEveryTick) {
  const std::vector<Tick> ticks = RealisticQuotes(20000);  // ~2 MB of content: several windows
  TickFileCursor c;
  ASSERT_TRUE(c.Open(Sealed(ticks), TickFileKind::kSealed, TickDecode::kFull).ok());
  EXPECT_EQ(c.header().message_count, ticks.size());
  EXPECT_EQ(ReadAll(c, ticks), ticks);
  EXPECT_TRUE(c.status().ok()) << c.status().ToString();
  EXPECT_FALSE(c.damage().has_value());
  EXPECT_EQ(c.count(), ticks.size());
  // Rewind reads the same again.
  ASSERT_TRUE(c.Rewind().ok());
  EXPECT_EQ(ReadAll(c), ticks);
}

TEST(TickFileCursorTest, FrameLargerThanTheWindowIsRead) {
  std::vector<Tick> ticks = AllSampleTicks();
  ticks[3].exchange = std::string(3 << 20, 'x');  // one 3 MiB frame among small ones
  for (TickFileKind kind : {TickFileKind::kSealed, TickFileKind::kOpen}) {
    TickFileCursor c;
    std::string bytes = kind == TickFileKind::kSealed ? Sealed(ticks) : MakeOpenFile(ticks).bytes;
    ASSERT_TRUE(c.Open(std::move(bytes), kind, TickDecode::kFull).ok());
    EXPECT_EQ(ReadAll(c, ticks), ticks);
    EXPECT_TRUE(c.status().ok()) << c.status().ToString();
  }
}

TEST(TickFileCursorTest, KeyDecodeFillsOnlyTheKey) {
  const std::vector<Tick> ticks = AllSampleTicks();
  TickFileCursor c;
  ASSERT_TRUE(c.Open(MakeOpenFile(ticks).bytes, TickFileKind::kOpen, TickDecode::kKey).ok());
  std::size_t i = 0;
  while (c.Next()) {
    ASSERT_LT(i, ticks.size());
    EXPECT_EQ(c.tick().timestamp_us, ticks[i].timestamp_us);
    EXPECT_EQ(c.tick().arrival_seq, ticks[i].arrival_seq);
    EXPECT_EQ(c.tick().contract_id, ticks[i].contract_id);
    EXPECT_EQ(c.tick().tick_type, ticks[i].tick_type);
    EXPECT_TRUE(c.tick().stream_id.empty());  // not decoded
    EXPECT_EQ(c.body(), PlainBody(ticks[i]));
    ++i;
  }
  EXPECT_EQ(i, ticks.size());
}

TEST(TickFileCursorTest, KeyDecodeAcceptsExactlyWhatTheFullDecodeAccepts) {
  std::string body;
  EncodeTickMessage(FullTick(TickType::kLast), Checksum::kCrc32c, body);
  for (ChecksumPolicy policy : {ChecksumPolicy::kRequire, ChecksumPolicy::kIfPresent}) {
    for (std::size_t i = 0; i < body.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string damaged = body;
        damaged[i] = static_cast<char>(damaged[i] ^ (1 << bit));
        Tick full, key;
        std::size_t full_payload = 0, key_payload = 0;
        Status f = DecodeTickMessageInto(damaged, policy, full, &full_payload);
        Status k = DecodeTickKeyInto(damaged, policy, key, &key_payload);
        ASSERT_EQ(f.ok(), k.ok()) << "byte " << i << " bit " << bit << ": " << f.ToString() << " / " << k.ToString();
        EXPECT_EQ(f.message(), k.message());
        if (!f.ok()) continue;
        EXPECT_EQ(full_payload, key_payload);
        EXPECT_EQ(full.timestamp_us, key.timestamp_us);
        EXPECT_EQ(full.arrival_seq, key.arrival_seq);
        EXPECT_EQ(full.contract_id, key.contract_id);
        EXPECT_EQ(full.tick_type, key.tick_type);
      }
    }
  }
}

TEST(TickFileCursorTest, OpenFileBodiesStayValidUntilRewind) {
  const std::vector<Tick> ticks = AllSampleTicks();
  TickFileCursor c;
  ASSERT_TRUE(c.Open(MakeOpenFile(ticks).bytes, TickFileKind::kOpen, TickDecode::kKey).ok());
  std::vector<std::string_view> bodies;
  while (c.Next()) bodies.push_back(c.body());
  ASSERT_EQ(bodies.size(), ticks.size());
  for (std::size_t i = 0; i < ticks.size(); ++i) EXPECT_EQ(bodies[i], PlainBody(ticks[i])) << i;
}

TEST(TickFileCursorTest, OpenFileDamageIsSkippedAsTheWholeFileReaderSkipsIt) {
  const std::vector<Tick> ticks = RealisticQuotes(50);
  const auto f = MakeOpenFile(ticks);
  std::string bytes = f.bytes;
  bytes[f.offsets[20] + 9] ^= 0x01;  // inside tick 20's body: bad checksum
  TickFileCursor c;
  ASSERT_TRUE(c.Open(bytes, TickFileKind::kOpen, TickDecode::kFull).ok());
  EXPECT_EQ(ReadAll(c).size(), 49u);
  EXPECT_TRUE(c.status().ok());
  EXPECT_FALSE(c.damage().has_value());
  ASSERT_EQ(c.skipped().size(), 1u);
  EXPECT_EQ(c.skipped()[0].offset, f.offsets[20]);
  auto whole = DecodeTickFile(bytes, TickFileKind::kOpen, false);
  ASSERT_TRUE(whole.ok());
  ASSERT_EQ(whole->skipped.size(), 1u);
  EXPECT_EQ(whole->skipped[0].what, c.skipped()[0].what);
  EXPECT_FALSE(c.Next());  // stays finished
  ASSERT_TRUE(c.Rewind().ok());
  EXPECT_TRUE(c.skipped().empty());
}

TEST(TickFileCursorTest, SealedFileDamagedLateGivesItsEarlierTicksThenCorruption) {
  const std::vector<Tick> ticks = RealisticQuotes(20000);
  // Frames damaged inside a good LZ4 frame: the last tick's body is cut short.
  std::string content = EncodeSealedContent(testing::Header(ticks.size(), "lz4"), ticks);
  content.resize(content.size() - 3);
  auto lz4 = Lz4CompressFrame(content, 0);
  ASSERT_TRUE(lz4.ok());
  TickFileCursor c;
  ASSERT_TRUE(c.Open(*lz4, TickFileKind::kSealed, TickDecode::kKey).ok());
  EXPECT_EQ(ReadAll(c).size(), ticks.size() - 1);
  EXPECT_EQ(c.status().code(), StatusCode::kCorruption);
  EXPECT_NE(c.status().message().find("written damaged"), std::string::npos) << c.status().message();
  EXPECT_FALSE(c.damage().has_value());

  // A truncated LZ4 frame: the LZ4 error, after the ticks inflated before it.
  const std::string sealed = Sealed(ticks);
  ASSERT_TRUE(c.Open(sealed.substr(0, sealed.size() / 2), TickFileKind::kSealed, TickDecode::kKey).ok());
  const std::size_t got = ReadAll(c).size();
  EXPECT_GT(got, 0u);
  EXPECT_LT(got, ticks.size());
  EXPECT_EQ(c.status().code(), StatusCode::kCorruption);
  EXPECT_NE(c.status().message().find("LZ4"), std::string::npos) << c.status().message();
}

TEST(TickFileCursorTest, UnopenedCursorHasNoTicks) {
  TickFileCursor c;
  EXPECT_FALSE(c.Next());
  EXPECT_FALSE(c.status().ok());
}

}  // namespace
}  // namespace ibr::format
