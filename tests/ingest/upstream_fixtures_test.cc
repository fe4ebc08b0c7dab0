// Every v2 JSON line the ib-stream project keeps as a sample (written by its
// own code, ../shared/fixtures/ib-stream-storage) decodes as a tick.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/time_text.h"
#include "ingest/v2_decoder.h"

namespace ibr::ingest {
namespace {

TEST(UpstreamFixturesTest, EveryStoredV2JsonLineIsATick) {
  const std::filesystem::path root =
      std::filesystem::path(IBR_SHARED_DIR) / "fixtures/ib-stream-storage/ib-stream/test_storage/json";
  ASSERT_TRUE(std::filesystem::is_directory(root)) << root;
  V2Decoder decoder;
  const TimeUs now = *ParseIsoTimestamp("2025-07-11T00:00:00Z");
  int files = 0, lines = 0;
  int per_type[kTickTypeCount] = {};
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".jsonl") continue;
    ++files;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      ++lines;
      DecodeResult r = decoder.Decode(line, now);
      ASSERT_EQ(r.kind, DecodeResult::Kind::kTick)
          << entry.path() << ": " << line << " -> " << RejectReasonCode(r.reason) << ": " << r.detail;
      EXPECT_EQ(r.tick.contract_id, 265598u);
      EXPECT_EQ(r.tick.exchange, "SMART");
      EXPECT_EQ(r.tick.timestamp_us, *ParseIsoTimestamp("2025-07-10T17:52:50.039295Z"));
      ++per_type[static_cast<int>(r.tick.tick_type)];
    }
  }
  EXPECT_EQ(files, 5);
  EXPECT_EQ(lines, 50);
  EXPECT_GT(per_type[static_cast<int>(TickType::kBidAsk)], 0);
  EXPECT_GT(per_type[static_cast<int>(TickType::kLast)], 0);
  EXPECT_GT(per_type[static_cast<int>(TickType::kMidPoint)], 0);
}

TEST(UpstreamFixturesTest, FirstFixtureLineInDetail) {
  const std::string line =
      R"({"type":"tick","stream_id":"test_stream_0","timestamp":"2025-07-10T17:52:50.039295+00:00","data":)"
      R"({"contract_id":265598,"tick_type":"bid_ask","bid_price":175.25,"bid_size":100,"ask_price":175.26,)"
      R"("ask_size":150,"exchange":"SMART"},"metadata":{"source":"test_script","sequence":0}})";
  V2Decoder decoder;
  DecodeResult r = decoder.Decode(line, *ParseIsoTimestamp("2025-07-11T00:00:00Z"));
  ASSERT_EQ(r.kind, DecodeResult::Kind::kTick);
  EXPECT_EQ(r.tick.stream_id, "test_stream_0");
  EXPECT_EQ(r.tick.bid_price, 175.25);
  EXPECT_EQ(r.tick.bid_size, 100.0);
  EXPECT_EQ(r.tick.ask_size, 150.0);
  EXPECT_EQ(r.tick.sequence, 0u);  // from metadata
}

}  // namespace
}  // namespace ibr::ingest
