// TickMerger: k-way order, ties, unsorted files, half-open filtering.
#include "query/tick_merger.h"

#include <gtest/gtest.h>

#include "query_test_util.h"

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

}  // namespace
}  // namespace ibr::query
