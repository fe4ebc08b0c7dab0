// TickMerger: k-way order, ties, unsorted files, half-open filtering.
#include "query/tick_merger.h"

#include <gtest/gtest.h>

#include "query_test_util.h"
#include "test_store.h"

namespace ibr::query {
namespace {

using testing::BidAsk;
using testing::Last;

format::TickFileContents File(std::vector<Tick> ticks) {
  format::TickFileContents c;
  c.ticks = std::move(ticks);
  return c;
}

std::vector<std::uint64_t> Drain(TickMerger& m) {
  std::vector<std::uint64_t> seqs;
  while (!m.Done()) seqs.push_back(m.Pop(nullptr).arrival_seq);
  return seqs;
}

// A cursor over the bytes of an open (CRC per message) or sealed file of `ticks`, in the order given.
std::unique_ptr<format::TickFileCursor> Cursor(const std::vector<Tick>& ticks, bool sealed,
                                               format::TickDecode decode = format::TickDecode::kFull) {
  format::FileHeaderInfo h;
  h.contract_id = ticks.empty() ? 1 : ticks.front().contract_id;
  h.tick_type = ticks.empty() ? TickType::kBidAsk : ticks.front().tick_type;
  auto c = std::make_unique<format::TickFileCursor>();
  Status s = c->Open(sealed ? testing::TestStore::SealedFileBytes(h, ticks) : testing::TestStore::OpenFileBytes(h, ticks),
                     sealed ? format::TickFileKind::kSealed : format::TickFileKind::kOpen, decode);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return c;
}

TEST(TickMergerTest, EqualTimestampsAcrossTickTypesKeepArrivalOrder) {
  TickMerger m;
  m.AddFile(File({BidAsk(100, 1), BidAsk(100, 3), BidAsk(200, 6)}), TimeRange{0, 1000});
  m.AddFile(File({Last(100, 2), Last(150, 4), Last(200, 5)}), TimeRange{0, 1000});
  EXPECT_EQ(Drain(m), (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6}));
}

TEST(TickMergerTest, FullTiesFollowTheOrderFilesWereAdded) {
  TickMerger m;
  m.AddFile(File({BidAsk(100, 0, 1.0)}), TimeRange{0, 1000});
  m.AddFile(File({Last(100, 0, 2.0)}), TimeRange{0, 1000});
  ASSERT_FALSE(m.Done());
  EXPECT_EQ(m.Pop(nullptr).tick_type, TickType::kBidAsk);
  EXPECT_EQ(m.Pop(nullptr).tick_type, TickType::kLast);
  EXPECT_TRUE(m.Done());
}

TEST(TickMergerTest, RangeIsHalfOpen) {
  TickMerger m;
  m.AddFile(File({BidAsk(99, 1), BidAsk(100, 2), BidAsk(199, 3), BidAsk(200, 4)}), TimeRange{100, 200});
  EXPECT_EQ(Drain(m), (std::vector<std::uint64_t>{2, 3}));
}

TEST(TickMergerTest, UnsortedFileIsOrderedAndFiltered) {
  TickMerger m;
  m.AddFile(File({BidAsk(300, 5), BidAsk(100, 2), BidAsk(50, 1), BidAsk(100, 3), BidAsk(200, 4)}),
            TimeRange{100, 1000});
  m.AddFile(File({Last(150, 9)}), TimeRange{100, 1000});
  EXPECT_EQ(Drain(m), (std::vector<std::uint64_t>{2, 3, 9, 4, 5}));
}

TEST(TickMergerTest, FilesAddedWhileMergingAndRawBodies) {
  TickMerger m;
  auto a = File({BidAsk(100, 1), BidAsk(300, 3)});
  a.storage = "AABB" + std::string(60, '.');  // on the heap: views survive the move
  a.raw_bodies = {std::string_view(a.storage).substr(0, 2), std::string_view(a.storage).substr(2, 2)};
  m.AddFile(std::move(a), TimeRange{0, 1000});
  EXPECT_TRUE(m.Done() == false);
  EXPECT_EQ(m.NextTimestamp(), 100);
  std::string_view body;
  EXPECT_EQ(m.Pop(&body).arrival_seq, 1u);
  EXPECT_EQ(body, "AA");
  m.AddFile(File({Last(200, 2)}), TimeRange{0, 1000});
  EXPECT_EQ(m.Pop(&body).arrival_seq, 2u);
  EXPECT_EQ(body, "");  // that file was decoded without raw bodies
  EXPECT_EQ(m.Pop(&body).arrival_seq, 3u);
  EXPECT_EQ(body, "BB");
  m.AddFile(File({}), TimeRange{0, 1000});
  EXPECT_TRUE(m.Done());
}

TEST(TickMergerTest, CursorsStreamInKeyOrderLikeDecodedFiles) {
  const std::vector<Tick> quotes = {BidAsk(100, 1), BidAsk(100, 3), BidAsk(200, 6), BidAsk(900, 8)};
  const std::vector<Tick> trades = {Last(100, 2), Last(150, 4), Last(200, 5), Last(1000, 9)};
  for (bool sealed : {false, true}) {
    TickMerger m;
    m.AddCursor(Cursor(quotes, sealed), TimeRange{0, 1000}, "quotes");
    m.AddCursor(Cursor(trades, sealed), TimeRange{0, 1000}, "trades");
    EXPECT_EQ(Drain(m), (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 8})) << "sealed " << sealed;
    EXPECT_TRUE(m.status().ok());
    // Used-up cursors are offered for reuse.
    EXPECT_NE(m.TakeSpareCursor(), nullptr);
    EXPECT_NE(m.TakeSpareCursor(), nullptr);
    EXPECT_EQ(m.TakeSpareCursor(), nullptr);
  }
}

TEST(TickMergerTest, CursorRawBodiesAndKeyDecode) {
  const std::vector<Tick> quotes = {BidAsk(100, 1), BidAsk(300, 3)};
  TickMerger m;
  m.AddCursor(Cursor(quotes, /*sealed=*/true, format::TickDecode::kKey), TimeRange{0, 1000}, "q");
  m.AddCursor(Cursor({Last(200, 2)}, /*sealed=*/false, format::TickDecode::kKey), TimeRange{0, 1000}, "t");
  std::string_view body;
  for (const Tick& want : {quotes[0], Last(200, 2), quotes[1]}) {
    ASSERT_FALSE(m.Done());
    const Tick& got = m.Pop(&body);
    EXPECT_EQ(got.arrival_seq, want.arrival_seq);
    EXPECT_EQ(got.tick_type, want.tick_type);
    std::string plain;
    format::EncodeTickMessage(want, format::Checksum::kNone, plain);
    EXPECT_EQ(body, plain);  // stored body, CRC field removed
  }
  EXPECT_TRUE(m.Done());
}

TEST(TickMergerTest, UnsortedOpenFileThroughACursorIsOrdered) {
  TickMerger m;
  m.AddCursor(Cursor({BidAsk(300, 5), BidAsk(100, 2), BidAsk(50, 1), BidAsk(100, 3), BidAsk(200, 4)}, false),
              TimeRange{100, 1000}, "open");
  m.AddCursor(Cursor({Last(150, 9)}, true), TimeRange{100, 1000}, "sealed");
  EXPECT_EQ(Drain(m), (std::vector<std::uint64_t>{2, 3, 9, 4, 5}));
  EXPECT_TRUE(m.status().ok());
}

TEST(TickMergerTest, SealedFileOutOfOrderStopsTheMergeWithCorruption) {
  TickMerger m;
  m.AddCursor(Cursor({BidAsk(100, 1), BidAsk(300, 3), BidAsk(200, 2)}, true), TimeRange{0, 1000}, "bad.pb.lz4");
  std::vector<std::uint64_t> seqs = Drain(m);
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{1, 3}));
  EXPECT_EQ(m.status().code(), StatusCode::kCorruption);
  EXPECT_NE(m.status().message().find("bad.pb.lz4"), std::string::npos) << m.status().message();
}

TEST(TickMergerTest, DamagedSealedFileFoundWhileStreamingIsAnError) {
  format::FileHeaderInfo h;
  h.contract_id = 265598;
  std::vector<Tick> ticks;
  for (int i = 0; i < 20000; ++i) ticks.push_back(BidAsk(100 + i, static_cast<std::uint64_t>(i + 1)));
  std::string sealed = testing::TestStore::SealedFileBytes(h, ticks);
  auto c = std::make_unique<format::TickFileCursor>();
  ASSERT_TRUE(c->Open(sealed.substr(0, sealed.size() * 3 / 4), format::TickFileKind::kSealed,
                      format::TickDecode::kFull).ok());
  TickMerger m;
  m.AddCursor(std::move(c), TimeRange{0, 1'000'000}, "cut.pb.lz4");
  const std::size_t n = Drain(m).size();
  EXPECT_GT(n, 0u);
  EXPECT_LT(n, ticks.size());
  EXPECT_EQ(m.status().code(), StatusCode::kCorruption);
  EXPECT_NE(m.status().message().find("verify"), std::string::npos) << m.status().message();
}

}  // namespace
}  // namespace ibr::query
