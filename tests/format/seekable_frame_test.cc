// Seekable sealed files: `lz4 -d` reads them, a range read inflates only the
// segments it needs and answers what the whole file filtered answers, and a
// torn or lying block index, or any one damaged block, is Corruption, its
// ticks never returned. Files sealed before the index (a kept fixture) still read.
#include "format/seekable_frame.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <functional>

#include "common/file_system.h"
#include "format/seekable_frame_encoder.h"
#include "format/tick_file_cursor.h"
#include "format/wire.h"
#include "sample_ticks.h"

namespace ibr::format {
namespace {

using testing::Header;
using testing::RealisticQuotes;

// A seekable sealed file of `ticks` (sorted), cut into segments of ~segment_bytes.
std::string SeekableSealed(const std::vector<Tick>& ticks, std::size_t segment_bytes, int level = 0) {
  FileHeaderInfo h = Header(ticks.size(), "lz4");
  h.start_time = ticks.front().timestamp_us;
  h.end_time = ticks.back().timestamp_us;
  const std::string content = EncodeSealedContent(h, ticks);
  SeekableFrameEncoder enc;
  EXPECT_TRUE(enc.Start(content.size(), level, segment_bytes).ok());
  FrameReader frames(content);
  std::string_view body;
  EXPECT_TRUE(frames.Next(&body));
  EXPECT_TRUE(enc.AddHeader(body).ok());
  for (const Tick& t : ticks) {
    EXPECT_TRUE(frames.Next(&body));
    EXPECT_TRUE(enc.AddTick(body, t.timestamp_us).ok());
  }
  EXPECT_TRUE(enc.Finish().ok());
  EXPECT_EQ(enc.checksum(), ContentChecksum(content));
  return enc.output();
}

struct Read {
  std::vector<Tick> ticks;
  Status status;
  std::size_t segments = 0;
};

// Ticks with timestamps in [start, end), read as a query does (SeekTo, stop at end).
Read ReadRange(const std::string& file, TimeUs start, TimeUs end) {
  Read r;
  TickFileCursor c;
  r.status = c.Open(file, TickFileKind::kSealed, TickDecode::kFull);
  if (!r.status.ok()) return r;
  c.SeekTo(start);
  while (c.Next()) {
    if (c.tick().timestamp_us < start) continue;
    if (c.tick().timestamp_us >= end) break;
    r.ticks.push_back(c.tick());
  }
  r.status = c.status();
  r.segments = c.segments_read();
  return r;
}

Read ReadWhole(const std::string& file) { return ReadRange(file, INT64_MIN, INT64_MAX); }

std::vector<Tick> Filter(const std::vector<Tick>& ticks, TimeUs start, TimeUs end) {
  std::vector<Tick> out;
  for (const Tick& t : ticks) {
    if (t.timestamp_us >= start && t.timestamp_us < end) out.push_back(t);
  }
  return out;
}

// Rewrites entry i of the index through `edit` and recomputes the index CRC,
// so only the reader's consistency checks can catch the lie.
std::string EditIndex(std::string file, std::size_t i, const std::function<void(SegmentEntry&)>& edit) {
  auto parsed = ParseSeekableFrame(file);
  EXPECT_TRUE(parsed.ok() && parsed->has_value());
  std::vector<SegmentEntry> segs = (*parsed)->segments;
  edit(segs.at(i));
  const std::size_t index_bytes = 8 + segs.size() * kSegmentEntryBytes + kIndexFooterBytes;
  file.resize(file.size() - index_bytes);
  AppendBlockIndex(segs, file);
  return file;
}

class SeekableFrameTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ticks_ = RealisticQuotes(6000);
    file_ = SeekableSealed(ticks_, 16 * 1024, 4);
    auto parsed = ParseSeekableFrame(file_);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    ASSERT_TRUE(parsed->has_value());
    segs_ = (*parsed)->segments;
    ASSERT_GT(segs_.size(), 20u);
  }
  std::vector<Tick> ticks_;
  std::string file_;
  std::vector<SegmentEntry> segs_;
};

TEST_F(SeekableFrameTest, Lz4ToolReadsTheContentAndSkipsTheIndex) {
  char dir[] = "/tmp/ibr_seekable_XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string in = std::string(dir) + "/f.pb.lz4", out = std::string(dir) + "/f.pb";
  ASSERT_TRUE(PosixFileSystem::Instance().WriteFileAtomic(in, file_).ok());
  ASSERT_EQ(std::system(("lz4 -d -q -f " + in + " " + out).c_str()), 0);
  auto unpacked = PosixFileSystem::Instance().ReadFile(out);
  ASSERT_TRUE(unpacked.ok());
  FileHeaderInfo h = Header(ticks_.size(), "lz4");
  h.start_time = ticks_.front().timestamp_us;
  h.end_time = ticks_.back().timestamp_us;
  EXPECT_TRUE(*unpacked == EncodeSealedContent(h, ticks_));
  // The stream decoder (old files' path) accepts the trailing skippable frame too.
  auto again = Lz4DecompressFrame(file_);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(*again == *unpacked);
  EXPECT_EQ(std::system(("rm -rf " + std::string(dir)).c_str()), 0);
}

TEST_F(SeekableFrameTest, SegmentsStartAtTickFramesAndCoverTheFile) {
  std::uint64_t ticks = 0;
  for (const SegmentEntry& s : segs_) ticks += s.ticks;
  EXPECT_EQ(ticks, ticks_.size());
  EXPECT_EQ(segs_.front().first_us, ticks_.front().timestamp_us);
  EXPECT_EQ(segs_.back().last_us, ticks_.back().timestamp_us);
  Read whole = ReadWhole(file_);
  ASSERT_TRUE(whole.status.ok()) << whole.status.ToString();
  EXPECT_EQ(whole.ticks, ticks_);
  EXPECT_EQ(whole.segments, segs_.size());
  auto decoded = DecodeTickFile(file_, TickFileKind::kSealed, false);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->ticks, ticks_);
}

TEST_F(SeekableFrameTest, RangeReadsEqualTheWholeFileFilteredAndReadOnlyTheirSegments) {
  const TimeUs first = ticks_.front().timestamp_us, last = ticks_.back().timestamp_us;
  const TimeUs span = last - first;
  for (int i = 0; i <= 40; ++i) {
    const TimeUs start = first - 10 + span * i / 40;
    for (TimeUs width : {TimeUs{0}, TimeUs{1}, span / 100, span / 7, span + 100}) {
      Read r = ReadRange(file_, start, start + width);
      ASSERT_TRUE(r.status.ok()) << r.status.ToString();
      EXPECT_EQ(r.ticks, Filter(ticks_, start, start + width)) << "start " << start << " width " << width;
      if (width <= span / 100) {
        EXPECT_LE(r.segments, 4u) << "start " << start;
      }
    }
  }
  // Ticks with equal timestamps across a segment boundary are all returned.
  for (std::size_t i = 1; i < segs_.size(); ++i) {
    Read r = ReadRange(file_, segs_[i].first_us, segs_[i].first_us + 1);
    EXPECT_EQ(r.ticks, Filter(ticks_, segs_[i].first_us, segs_[i].first_us + 1));
  }
}

TEST_F(SeekableFrameTest, TornIndexIsCorruption) {
  const std::size_t frame_end = static_cast<std::size_t>(segs_.back().block_offset + segs_.back().block_bytes + 8);
  for (std::size_t cut = file_.size() - 1; cut >= frame_end; --cut) {
    Read r = ReadWhole(file_.substr(0, cut));
    EXPECT_EQ(r.status.code(), StatusCode::kCorruption) << "cut at " << cut;
    EXPECT_TRUE(r.ticks.empty()) << "cut at " << cut;
    auto decoded = DecodeTickFile(file_.substr(0, cut), TickFileKind::kSealed, false);
    EXPECT_FALSE(decoded.ok()) << "cut at " << cut;
  }
}

TEST_F(SeekableFrameTest, IndexLyingAboutOffsetsIsCorruption) {
  for (std::size_t i : {std::size_t{0}, std::size_t{3}, segs_.size() - 1}) {
    for (std::int64_t delta : {-1, 1, 8}) {
      std::string lie = EditIndex(file_, i, [&](SegmentEntry& e) { e.block_offset += delta; });
      EXPECT_EQ(ReadWhole(lie).status.code(), StatusCode::kCorruption) << i << " " << delta;
      lie = EditIndex(file_, i, [&](SegmentEntry& e) { e.content_bytes += static_cast<std::uint32_t>(delta); });
      EXPECT_EQ(ReadWhole(lie).status.code(), StatusCode::kCorruption) << i << " " << delta;
      lie = EditIndex(file_, i, [&](SegmentEntry& e) { e.block_bytes += static_cast<std::uint32_t>(delta); });
      EXPECT_EQ(ReadWhole(lie).status.code(), StatusCode::kCorruption) << i << " " << delta;
    }
  }
  // Ticks moved between two segments: their content still adds up, the frames do not.
  std::string lie = EditIndex(file_, 5, [&](SegmentEntry& e) { e.ticks += 1; });
  lie = EditIndex(lie, 6, [&](SegmentEntry& e) { e.ticks -= 1; });
  EXPECT_EQ(ReadWhole(lie).status.code(), StatusCode::kCorruption);
}

TEST_F(SeekableFrameTest, IndexLyingAboutTimestampsIsCaughtBeforeItHidesTicks) {
  // Segment 9 claims to end earlier than it does: a range starting after the
  // lie but inside the truth would skip it; the reader reads it and sees the lie.
  const std::size_t k = 9;
  const TimeUs truth_last = segs_[k].last_us;
  const TimeUs lie_last = segs_[k].first_us;
  ASSERT_LT(lie_last, truth_last);
  std::string lie = EditIndex(file_, k, [&](SegmentEntry& e) { e.last_us = lie_last; });
  Read r = ReadRange(lie, lie_last + 1, truth_last + 1);
  EXPECT_EQ(r.status.code(), StatusCode::kCorruption) << r.status.ToString();
  EXPECT_EQ(ReadWhole(lie).status.code(), StatusCode::kCorruption);
  // A first timestamp that is not the first tick's.
  lie = EditIndex(file_, k, [&](SegmentEntry& e) { e.first_us -= 1; });
  EXPECT_EQ(ReadRange(lie, segs_[k].first_us, segs_[k].first_us + 1).status.code(), StatusCode::kCorruption);
  // Out of order with its neighbour.
  lie = EditIndex(file_, k, [&](SegmentEntry& e) { e.first_us = segs_[k - 1].last_us - 1; });
  EXPECT_EQ(ReadRange(lie, 0, 1).status.code(), StatusCode::kCorruption);
}

TEST_F(SeekableFrameTest, EachDamagedBlockIsDetectedAndItsTicksNeverReturned) {
  std::uint64_t before = 0;
  for (std::size_t i = 0; i < segs_.size(); ++i) {
    const SegmentEntry& s = segs_[i];
    for (std::uint64_t at : {s.block_offset, s.block_offset + 4 + (s.block_bytes - 8) / 2,
                             s.block_offset + s.block_bytes - 1}) {
      std::string bad = file_;
      bad[at] = static_cast<char>(bad[at] ^ 0x10);
      Read whole = ReadWhole(bad);
      ASSERT_EQ(whole.status.code(), StatusCode::kCorruption) << "segment " << i << " byte " << at;
      // Segment 0 holds the header: then nothing is returned at all.
      EXPECT_EQ(whole.ticks, std::vector<Tick>(ticks_.begin(), ticks_.begin() + static_cast<std::ptrdiff_t>(before)))
          << "segment " << i << " byte " << at;
      // A range inside the damaged segment fails and returns none of its ticks.
      Read r = ReadRange(bad, s.first_us, s.last_us + 1);
      EXPECT_EQ(r.status.code(), StatusCode::kCorruption) << "segment " << i;
      for (const Tick& t : r.ticks) EXPECT_LT(t.timestamp_us, s.first_us) << "segment " << i;
    }
    before += s.ticks;
  }
}

TEST_F(SeekableFrameTest, DamagedFrameHeaderOrFooterIsCorruption) {
  for (std::size_t at : {std::size_t{4}, std::size_t{5}, std::size_t{8}, std::size_t{14}, file_.size() - 1,
                         file_.size() - 5, file_.size() - 12, file_.size() - 16}) {
    std::string bad = file_;
    bad[at] = static_cast<char>(bad[at] ^ 0x01);
    EXPECT_EQ(ReadWhole(bad).status.code(), StatusCode::kCorruption) << "byte " << at;
  }
}

// A real file read with pread, counting the bytes asked for.
class CountingFile final : public ReadableFile {
 public:
  CountingFile(std::unique_ptr<ReadableFile> f, std::uint64_t* read) : f_(std::move(f)), read_(read) {}
  std::uint64_t Size() const override { return f_->Size(); }
  Status ReadAt(std::uint64_t offset, std::size_t n, char* dst, std::size_t* got) override {
    *read_ += n;
    return f_->ReadAt(offset, n, dst, got);
  }

 private:
  std::unique_ptr<ReadableFile> f_;
  std::uint64_t* read_;
};

TEST_F(SeekableFrameTest, PreadReadingReadsOnlyTheIndexAndTheSegmentsItNeeds) {
  char dir[] = "/tmp/ibr_seekable_XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/f.pb.lz4";
  ASSERT_TRUE(PosixFileSystem::Instance().WriteFileAtomic(path, file_).ok());
  const TimeUs start = segs_[segs_.size() / 2].first_us, end = start + 1000;
  std::uint64_t read = 0;
  TickFileCursor c;
  auto f = PosixFileSystem::Instance().OpenRead(path);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(c.OpenFile(std::make_unique<CountingFile>(std::move(f).value(), &read), TickFileKind::kSealed,
                         TickDecode::kFull)
                  .ok());
  EXPECT_TRUE(c.seekable());
  c.SeekTo(start);
  std::vector<Tick> got;
  while (c.Next() && c.tick().timestamp_us < end) {
    if (c.tick().timestamp_us >= start) got.push_back(c.tick());
  }
  EXPECT_TRUE(c.status().ok()) << c.status().ToString();
  EXPECT_EQ(got, Filter(ticks_, start, end));
  EXPECT_LT(read, file_.size() / 4) << "read " << read << " of " << file_.size();
  // Read to the end through pread, everything is verified as from memory.
  ASSERT_TRUE(c.Rewind().ok());
  std::vector<Tick> all;
  while (c.Next()) all.push_back(c.tick());
  EXPECT_TRUE(c.status().ok()) << c.status().ToString();
  EXPECT_EQ(all, ticks_);
  // A damaged block read through pread is Corruption too.
  std::string bad = file_;
  bad[static_cast<std::size_t>(segs_[3].block_offset + 10)] ^= 0x40;
  ASSERT_TRUE(PosixFileSystem::Instance().WriteFileAtomic(path, bad).ok());
  auto g = PosixFileSystem::Instance().OpenRead(path);
  ASSERT_TRUE(g.ok());
  ASSERT_TRUE(c.OpenFile(std::move(g).value(), TickFileKind::kSealed, TickDecode::kFull).ok());
  std::size_t n = 0;
  while (c.Next()) ++n;
  EXPECT_EQ(c.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(n, std::size_t{segs_[0].ticks + segs_[1].ticks + segs_[2].ticks});
  EXPECT_EQ(std::system(("rm -rf " + std::string(dir)).c_str()), 0);
}

TEST(SeekableFrameFixtureTest, FileSealedBeforeTheIndexStillReads) {
  // Sealed by the recorder before seekable files (linked blocks, no index):
  // `simulate --contracts 265598:AAPL --duration 20s | ingest`, the bid_ask file.
  auto bytes = PosixFileSystem::Instance().ReadFile(std::string(IBR_SOURCE_DIR) +
                                                     "/tests/format/data/v2_linked_bid_ask.pb.lz4");
  ASSERT_TRUE(bytes.ok());
  auto parsed = ParseSeekableFrame(*bytes);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->has_value());
  auto decoded = DecodeTickFile(*bytes, TickFileKind::kSealed, false);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_GT(decoded->ticks.size(), 10u);
  EXPECT_EQ(decoded->ticks.size(), decoded->header.message_count);
  const TimeUs mid = decoded->ticks[decoded->ticks.size() / 2].timestamp_us;
  Read r = ReadRange(*bytes, mid, mid + 5'000'000);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.ticks, Filter(decoded->ticks, mid, mid + 5'000'000));
  EXPECT_FALSE(r.ticks.empty());
}

}  // namespace
}  // namespace ibr::format
