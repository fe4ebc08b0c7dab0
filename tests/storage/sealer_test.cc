// Sealer: the sealed content is the open file's good ticks, sorted by
// (timestamp, arrival sequence) with ties in file order, byte for byte what
// EncodeSealedContent gives, for files larger than the sealer's read and
// write chunks, in order or not, with a torn tail; the checksum is the content's.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "format/lz4_frame.h"
#include "format/seekable_frame.h"
#include "format/tick_file_cursor.h"
#include "storage/store.h"
#include "storage_test_util.h"

namespace ibr::storage {
namespace {

using namespace ibr::testing;  // Options, Quote, T, StoreTest

class SealerTest : public StoreTest {
 protected:
  SealerTest() : StoreTest(T("2025-03-10T15:00:00Z")) {}

  // Appends `ticks` through the store, optionally damages the open file's
  // tail, seals it and checks the sealed file against the open file's ticks.
  void SealAndCheck(const std::vector<Tick>& ticks, const std::string& garbage_tail) {
    auto store = OpenStore(Options(dir_.path()), PosixFileSystem::Instance());
    for (Tick t : ticks) ASSERT_TRUE(store->writer().Append(t).ok());
    ASSERT_TRUE(store->writer().Flush().ok());
    const std::string open_path = dir_.path() + "/protobuf/265598/bid_ask/2025/03/10/14_ticks.pb";
    auto open_bytes = PosixFileSystem::Instance().ReadFile(open_path);
    ASSERT_TRUE(open_bytes.ok());
    auto open = format::DecodeTickFile(*open_bytes, format::TickFileKind::kOpen, false);
    ASSERT_TRUE(open.ok());
    ASSERT_EQ(open->ticks.size(), ticks.size());
    if (!garbage_tail.empty()) {
      std::ofstream(open_path, std::ios::app | std::ios::binary) << garbage_tail;
    }
    std::vector<Tick> expected = open->ticks;  // file order, arrival sequences assigned
    std::stable_sort(expected.begin(), expected.end(), [](const Tick& a, const Tick& b) {
      if (a.timestamp_us != b.timestamp_us) return a.timestamp_us < b.timestamp_us;
      return a.arrival_seq < b.arrival_seq;
    });

    clock_.Set(T("2025-03-10T15:05:00Z"));
    auto sealed = store->SealDue();
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    EXPECT_EQ(sealed->sealed, 1);
    auto bytes = PosixFileSystem::Instance().ReadFile(open_path + ".lz4");
    ASSERT_TRUE(bytes.ok());
    auto content = format::Lz4DecompressFrame(*bytes);
    ASSERT_TRUE(content.ok()) << content.status().ToString();
    auto c = format::DecodeTickFile(*bytes, format::TickFileKind::kSealed, false);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(c->header.message_count, ticks.size());
    EXPECT_EQ(c->header.start_time, expected.front().timestamp_us);
    EXPECT_EQ(c->header.end_time, expected.back().timestamp_us);
    EXPECT_TRUE(*content == format::EncodeSealedContent(c->header, expected));
    // Seekable: a block index of several segments, each starting at a tick
    // frame; a range read from the middle gives the same ticks as the whole file.
    auto frame = format::ParseSeekableFrame(*bytes);
    ASSERT_TRUE(frame.ok()) << frame.status().ToString();
    ASSERT_TRUE(frame->has_value());
    const auto& segs = (*frame)->segments;
    EXPECT_GT(segs.size(), 10u);
    const TimeUs from = segs[segs.size() / 2].first_us, to = from + 2000;
    format::TickFileCursor cursor;
    ASSERT_TRUE(cursor.Open(*bytes, format::TickFileKind::kSealed, format::TickDecode::kFull).ok());
    cursor.SeekTo(from);
    std::vector<Tick> got, want;
    while (cursor.Next() && cursor.tick().timestamp_us < to) {
      if (cursor.tick().timestamp_us >= from) got.push_back(cursor.tick());
    }
    EXPECT_TRUE(cursor.status().ok()) << cursor.status().ToString();
    EXPECT_LE(cursor.segments_read(), 4u);  // segment 0 (the header), the one before, the range's (ties may span two)
    for (const Tick& t : c->ticks) {
      if (t.timestamp_us >= from && t.timestamp_us < to) want.push_back(t);
    }
    EXPECT_FALSE(want.empty());
    EXPECT_EQ(got, want);
    auto rows = store->catalog().ListTickFiles();
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].message_count, static_cast<std::int64_t>(ticks.size()));
    EXPECT_EQ((*rows)[0].file_size_bytes, static_cast<std::int64_t>(bytes->size()));
    ASSERT_TRUE((*rows)[0].checksum.has_value());
    EXPECT_EQ(*(*rows)[0].checksum, format::ContentChecksum(*content));
  }

  // 30,000 quotes (~3.5 MB open: several read chunks, many LZ4 blocks).
  static std::vector<Tick> Quotes(bool shuffled) {
    std::vector<Tick> ticks;
    std::mt19937 rng(7);
    for (int i = 0; i < 30000; ++i) {
      // Ties: every timestamp is used by 3 ticks (arrival sequence and file order decide).
      TimeUs ts = T("2025-03-10T14:00:00Z") + (i / 3) * 1000;
      ticks.push_back(Quote(265598, ts, 229.95 + (i % 7) * 0.01, 229.97 + (i % 5) * 0.01));
    }
    if (shuffled) {
      // Mostly in order with local swaps (late ticks), plus a few far ones.
      for (std::size_t i = 0; i + 1 < ticks.size(); i += 2 + rng() % 5) std::swap(ticks[i], ticks[i + 1]);
      for (int k = 0; k < 50; ++k) std::swap(ticks[rng() % ticks.size()], ticks[rng() % ticks.size()]);
    }
    return ticks;
  }
};

TEST_F(SealerTest, InOrderFileIsStreamedThrough) { SealAndCheck(Quotes(false), ""); }

TEST_F(SealerTest, OutOfOrderFileIsSortedStablyByKey) { SealAndCheck(Quotes(true), ""); }

TEST_F(SealerTest, TornTailIsLeftOutOfAnOutOfOrderFile) {
  SealAndCheck(Quotes(true), std::string("\x00\x00\x01\x00garbage", 11));
}

TEST_F(SealerTest, ZerosAfterACrashAreLeftOutOfAnInOrderFile) { SealAndCheck(Quotes(false), std::string(8, '\0')); }

}  // namespace
}  // namespace ibr::storage
