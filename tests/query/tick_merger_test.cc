// TickMerger: k-way order, ties, unsorted files, half-open filtering.
#include "query/tick_merger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

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

TEST(TickMergerTest, RandomFilesWithTiesMergeLikeAStableSort) {
  std::mt19937 rng(11);
  for (int round = 0; round < 200; ++round) {
    const int files = 1 + static_cast<int>(rng() % 6);
    // Reference: (ts, seq, file, position) for every tick; seq doubles as a
    // unique id through the low bits so the output order is checkable.
    struct Ref { TimeUs ts; std::uint64_t seq; int file; int pos; };
    std::vector<Ref> ref;
    TickMerger m;
    for (int f = 0; f < files; ++f) {
      std::vector<Tick> ticks;
      TimeUs ts = 0;
      const int n = static_cast<int>(rng() % 30);
      for (int i = 0; i < n; ++i) {
        ts += static_cast<TimeUs>(rng() % 3);           // many equal timestamps
        const std::uint64_t seq = (rng() % 2) * 1000;   // and equal arrival sequences
        Tick t = BidAsk(ts, seq + static_cast<std::uint64_t>(f * 100 + i));
        t.arrival_seq = seq;
        t.unix_time = f * 100 + i;                       // identity, not part of the key
        ticks.push_back(t);
      }
      std::stable_sort(ticks.begin(), ticks.end(), [](const Tick& a, const Tick& b) {
        return a.timestamp_us != b.timestamp_us ? a.timestamp_us < b.timestamp_us : a.arrival_seq < b.arrival_seq;
      });
      for (int i = 0; i < n; ++i) ref.push_back({ticks[i].timestamp_us, ticks[i].arrival_seq, f, i});
      std::vector<std::int64_t> ids;
      for (const Tick& t : ticks) ids.push_back(*t.unix_time);
      for (int i = 0; i < n; ++i) ref[ref.size() - n + i].pos = static_cast<int>(ids[i]);
      if (f % 2 == 0) {
        m.AddFile(File(ticks), TimeRange{0, 1000});
      } else {
        m.AddCursor(Cursor(ticks, /*sealed=*/f % 4 == 1), TimeRange{0, 1000}, "f");
      }
    }
    std::stable_sort(ref.begin(), ref.end(), [](const Ref& a, const Ref& b) {
      if (a.ts != b.ts) return a.ts < b.ts;
      if (a.seq != b.seq) return a.seq < b.seq;
      return a.file < b.file;
    });
    std::vector<std::int64_t> got, want;
    while (!m.Done()) got.push_back(*m.Pop(nullptr).unix_time);
    for (const Ref& r : ref) want.push_back(r.pos);
    ASSERT_EQ(got, want) << "round " << round;
  }
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
