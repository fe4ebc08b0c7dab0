// Upstream tick type spellings, contract id digits and stream id forms.
#include "ingest/upstream_names.h"

#include <gtest/gtest.h>

namespace ibr::ingest {
namespace {

TEST(UpstreamNamesTest, TickTypeSpellings) {
  EXPECT_EQ(ParseUpstreamTickType("bid_ask"), TickType::kBidAsk);
  EXPECT_EQ(ParseUpstreamTickType("BidAsk"), TickType::kBidAsk);
  EXPECT_EQ(ParseUpstreamTickType("last"), TickType::kLast);
  EXPECT_EQ(ParseUpstreamTickType("Last"), TickType::kLast);
  EXPECT_EQ(ParseUpstreamTickType("all_last"), TickType::kAllLast);
  EXPECT_EQ(ParseUpstreamTickType("AllLast"), TickType::kAllLast);
  EXPECT_EQ(ParseUpstreamTickType("mid_point"), TickType::kMidPoint);
  EXPECT_EQ(ParseUpstreamTickType("MidPoint"), TickType::kMidPoint);
  EXPECT_EQ(ParseUpstreamTickType("midpoint"), TickType::kMidPoint);
  EXPECT_FALSE(ParseUpstreamTickType("time_sales"));
  EXPECT_FALSE(ParseUpstreamTickType(""));
  EXPECT_FALSE(ParseUpstreamTickType("bid"));
  EXPECT_FALSE(ParseUpstreamTickType("bid_ask_bid_ask_bid_ask"));
}

TEST(UpstreamNamesTest, ContractIdDigits) {
  EXPECT_EQ(ParseContractIdDigits("711280073"), 711280073u);
  EXPECT_EQ(ParseContractIdDigits("4294967295"), 4294967295u);
  EXPECT_EQ(ParseContractIdDigits("007"), 7u);
  EXPECT_FALSE(ParseContractIdDigits("0"));
  EXPECT_FALSE(ParseContractIdDigits("4294967296"));
  EXPECT_FALSE(ParseContractIdDigits("99999999999999999999999999"));
  EXPECT_FALSE(ParseContractIdDigits(""));
  EXPECT_FALSE(ParseContractIdDigits("-1"));
  EXPECT_FALSE(ParseContractIdDigits("12 "));
}

TEST(UpstreamNamesTest, ClientStreamId) {
  StreamIdParts p = ParseStreamId("265598_bid_ask_1741611600028_9282");
  EXPECT_EQ(p.contract_id, 265598u);
  EXPECT_EQ(p.tick_type, TickType::kBidAsk);
  p = ParseStreamId("711280073_all_last_1754010291000_1");
  EXPECT_EQ(p.contract_id, 711280073u);
  EXPECT_EQ(p.tick_type, TickType::kAllLast);
}

TEST(UpstreamNamesTest, BackgroundStreamId) {
  StreamIdParts p = ParseStreamId("bg_711280073_mid_point");
  EXPECT_EQ(p.contract_id, 711280073u);
  EXPECT_EQ(p.tick_type, TickType::kMidPoint);
}

TEST(UpstreamNamesTest, OtherStreamIdsGiveNothing) {
  for (const char* id : {"", "test_stream_0", "bg_", "bg_1", "bg_1_quote", "1_bid_ask", "0_last_1_2",
                         "bg_711280073_bid_ask_extra", "x_last_1_2"}) {
    StreamIdParts p = ParseStreamId(id);
    EXPECT_FALSE(p.contract_id) << id;
    EXPECT_FALSE(p.tick_type) << id;
  }
}

}  // namespace
}  // namespace ibr::ingest
