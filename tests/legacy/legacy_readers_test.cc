// The legacy readers on their own: framing in both byte orders, torn and
// garbage lengths, torn JSON lines, the layout sniffer, the v3 mapping, and
// what TickIdentity does and does not include.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "legacy/json_record_reader.h"
#include "legacy/layout_sniffer.h"
#include "legacy/legacy_frames.h"
#include "legacy/tick_identity.h"
#include "legacy/v3_record.h"
#include "legacy_test_util.h"

namespace ibr::legacy {
namespace {

using namespace ibr::legacy_testing;

struct Framed {
  std::vector<std::string> bodies;
  std::vector<LegacyRecord> stops;
};

Framed SplitAll(const std::string& file, LengthOrder order) {
  Framed out;
  SplitLegacyFrames(
      file, order, [&](LegacyRecord& r) { out.bodies.emplace_back(r.input); },
      [&](const LegacyRecord& r) { out.stops.push_back(r); });
  return out;
}

TEST(LegacyFramesTest, BothByteOrdersTornAndGarbage) {
  const std::string le = LittleEndianFrame("abc") + LittleEndianFrame("") + LittleEndianFrame("de");
  Framed a = SplitAll(le, LengthOrder::kLittleEndian);
  EXPECT_EQ(a.bodies, (std::vector<std::string>{"abc", "", "de"}));
  EXPECT_TRUE(a.stops.empty());
  Framed b = SplitAll(BigEndianFrame("xyz") + BigEndianFrame("q"), LengthOrder::kBigEndian);
  EXPECT_EQ(b.bodies, (std::vector<std::string>{"xyz", "q"}));

  Framed torn = SplitAll(LittleEndianFrame("abc") + std::string("\x09\x00\x00\x00" "1234", 8), LengthOrder::kLittleEndian);
  EXPECT_EQ(torn.bodies.size(), 1u);
  ASSERT_EQ(torn.stops.size(), 1u);
  EXPECT_EQ(torn.stops[0].reason, "torn_record");
  EXPECT_EQ(torn.stops[0].index, 2u);
  Framed stub = SplitAll(LittleEndianFrame("abc") + "\x01\x00", LengthOrder::kLittleEndian);
  ASSERT_EQ(stub.stops.size(), 1u);
  EXPECT_EQ(stub.stops[0].reason, "torn_record");
  // A v3 (big-endian) file read as little-endian: a length far above 16 MiB.
  Framed wrong = SplitAll(BigEndianFrame("hello"), LengthOrder::kLittleEndian);
  ASSERT_EQ(wrong.stops.size(), 1u);
  EXPECT_EQ(wrong.stops[0].reason, "bad_frame_length");
  EXPECT_TRUE(wrong.bodies.empty());
}

TEST(LayoutSnifferTest, FromTheBytesWithThePathAsTieBreaker) {
  const std::string v2pb = LittleEndianFrame("abc") + LittleEndianFrame("defg");
  const std::string v3pb = BigEndianFrame("abc") + BigEndianFrame("defg");
  EXPECT_EQ(SniffLayout(v2pb, LegacyLayout::kV3Protobuf), LegacyLayout::kV2Protobuf);
  EXPECT_EQ(SniffLayout(v3pb, LegacyLayout::kV2Protobuf), LegacyLayout::kV3Protobuf);
  // Torn: the byte order that frames more bytes.
  EXPECT_EQ(SniffLayout(v3pb + std::string("\x00\x00\x00\x50", 4), LegacyLayout::kV2Protobuf),
            LegacyLayout::kV3Protobuf);
  // Nothing to tell them apart (empty file): the path decides.
  EXPECT_EQ(SniffLayout("", LegacyLayout::kV3Protobuf), LegacyLayout::kV3Protobuf);
  EXPECT_EQ(SniffLayout("", LegacyLayout::kV2Protobuf), LegacyLayout::kV2Protobuf);

  EXPECT_EQ(SniffLayout("{\"ts\":1,\"st\":2,\"cid\":3,\"tt\":\"last\",\"rid\":0}\n", LegacyLayout::kV2Json),
            LegacyLayout::kV3Json);
  EXPECT_EQ(SniffLayout("\n{\"type\":\"tick\",\"data\":{}}\n", LegacyLayout::kV3Json), LegacyLayout::kV2Json);
}

TEST(JsonRecordReaderTest, LinesTornTailBomAndMixedShapes) {
  std::vector<LegacyRecord> got;
  ReadLegacyJsonFile(
      "\xEF\xBB\xBF{\"type\":\"heartbeat\"}\r\n\n   \n{\"ts\":1754010291000000,\"st\":1754010291000001,\"cid\":5,"
      "\"tt\":\"last\",\"rid\":1,\"p\":1.5,\"s\":2.0}\nnot json\n{\"type\":\"tick\",\"da",
      [&](const LegacyRecord& r) { got.push_back(r); });
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].index, 1u);
  EXPECT_EQ(got[0].line, "{\"type\":\"heartbeat\"}");
  EXPECT_EQ(got[1].index, 4u);  // blank lines are not records but keep their numbers
  const auto v2 = nlohmann::json::parse(got[1].line);
  EXPECT_EQ(v2["type"], "tick");
  EXPECT_EQ(v2["timestamp"], "2025-08-01T01:04:51.000001Z");
  EXPECT_EQ(v2["data"]["price"], 1.5);
  EXPECT_EQ(v2["data"]["unix_time"], 1754010291);
  EXPECT_EQ(got[2].line, "not json");  // the decoder names it bad_json
  EXPECT_FALSE(got[2].skipped);
  EXPECT_TRUE(got[3].skipped);
  EXPECT_EQ(got[3].reason, "torn_record");
  EXPECT_EQ(got[3].index, 6u);
}

TEST(V3RecordTest, KeysMappedNothingGuessed) {
  auto v2 = nlohmann::json::parse(V3ObjectToV2Line(nlohmann::json::parse(
      R"({"ts":1754010291911017,"st":1754010291911022,"cid":711280073,"tt":"bid_ask","rid":9,"bp":1.0,"bs":2.0,"ap":3.0,"as":4.0,"aph":true})")));
  EXPECT_EQ(v2["timestamp"], "2025-08-01T01:04:51.911022Z");
  EXPECT_EQ(v2["data"]["contract_id"], 711280073);
  EXPECT_EQ(v2["data"]["bid_price"], 1.0);
  EXPECT_EQ(v2["data"]["ask_size"], 4.0);
  EXPECT_EQ(v2["data"]["ask_past_high"], true);
  EXPECT_FALSE(v2["data"].contains("bid_past_low"));
  EXPECT_FALSE(v2["data"].contains("unix_time"));  // ts has a fraction: not IB's time
  EXPECT_FALSE(v2.contains("stream_id"));
  // A non-integer st is not a time.
  auto bad = nlohmann::json::parse(V3ObjectToV2Line(nlohmann::json::parse(R"({"st":"soon","cid":1,"tt":"last"})")));
  EXPECT_FALSE(ParseIsoTimestamp(bad["timestamp"].get<std::string>()).has_value());
}

TEST(TickIdentityTest, ValuesAndKeyCountExtrasDoNot) {
  Tick a;
  a.contract_id = 5;
  a.tick_type = TickType::kLast;
  a.timestamp_us = 1754010291000001;
  a.stream_id = "s";
  a.price = 1.5;
  a.size = 2;
  Tick b = a;
  b.unix_time = 1754010291;
  b.exchange = "CME";
  b.conditions = {"I"};
  b.past_limit = false;
  EXPECT_EQ(IdentityOf(a), IdentityOf(b));
  for (auto change : std::vector<std::function<void(Tick&)>>{
           [](Tick& t) { t.price = 1.75; }, [](Tick& t) { t.size.reset(); }, [](Tick& t) { t.timestamp_us += 1; },
           [](Tick& t) { t.stream_id = "t"; }, [](Tick& t) { t.sequence = 0; }, [](Tick& t) { t.contract_id = 6; },
           [](Tick& t) { t.tick_type = TickType::kAllLast; }}) {
    Tick c = a;
    change(c);
    EXPECT_FALSE(IdentityOf(a) == IdentityOf(c));
  }
}

}  // namespace
}  // namespace ibr::legacy
