// TickJson: the NDJSON tick object, byte for byte.
#include "query/tick_json.h"

#include <gtest/gtest.h>

#include "format/sample_ticks.h"  // tests/format: FullTick
#include "query_test_util.h"

namespace ibr::query {
namespace {

using testing::T;

// The line DESIGN.md shows, from the test quote builder.
Tick DesignTick() {
  Tick t = testing::BidAsk(T("2025-03-10T14:00:00.285000Z"), /*seq=*/77);  // arrival seq: never printed
  t.stream_id = "265598_bid_ask_1741611600028_9282";
  t.ask_price = 229.97;
  t.sequence = 12;
  t.unix_time = 1741615200;
  return t;
}

TEST(TickJsonTest, DesignLineByteForByte) {
  std::string out;
  TickJsonWriter().Append(out, DesignTick());
  EXPECT_EQ(out,
            R"({"type":"tick","stream_id":"265598_bid_ask_1741611600028_9282","timestamp":"2025-03-10T14:00:00.285000Z",)"
            R"("data":{"contract_id":265598,"tick_type":"bid_ask","bid_price":229.95,"bid_size":8.0,)"
            R"("ask_price":229.97,"ask_size":3.0,"sequence":12,"unix_time":1741615200}})");
}

TEST(TickJsonTest, EveryFieldInOrder) {
  Tick t = format::testing::FullTick(TickType::kAllLast);  // every field set
  t.conditions.push_back("I\"x");                        // escaped
  std::string out;
  TickJsonWriter().Append(out, t);
  EXPECT_EQ(out,
            R"({"type":"tick","stream_id":"bg_711280073_all_last","timestamp":"2025-08-01T01:04:51.911004Z",)"
            R"("data":{"contract_id":711280073,"tick_type":"all_last","price":23261.0,"size":10.0,)"
            R"("bid_price":23260.0,"bid_size":4.0,"ask_price":23260.5,"ask_size":2.0,"mid_price":23260.25,)"
            R"("exchange":"CME","conditions":["","I","odd lot","I\"x"],"past_limit":false,"unreported":true,)"
            R"("bid_past_low":false,"ask_past_high":true,"sequence":987654321,"unix_time":1754010291}})");
}

TEST(TickJsonTest, MinimalMidPointAndHistoricalMetadata) {
  Tick t;
  t.timestamp_us = T("2025-03-10T14:00:00.000001Z");
  t.contract_id = 1;
  t.tick_type = TickType::kMidPoint;
  t.mid_price = 100.125;
  std::string out;
  TickJsonWriter(TickJsonOptions{.historical = true}).Append(out, t);
  EXPECT_EQ(out,
            R"({"type":"tick","stream_id":"","timestamp":"2025-03-10T14:00:00.000001Z",)"
            R"("data":{"contract_id":1,"tick_type":"mid_point","mid_price":100.125},"metadata":{"historical":true}})");
}

}  // namespace
}  // namespace ibr::query
