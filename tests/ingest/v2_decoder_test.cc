// V2Decoder: both message shapes, every reject reason, lifecycle and heartbeat.
#include "ingest/v2_decoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "common/time_text.h"

namespace ibr::ingest {
namespace {

using Kind = DecodeResult::Kind;

const TimeUs kNow = *ParseIsoTimestamp("2025-08-02T00:00:00Z");

// The real server's wire form (json.dumps defaults), from UPSTREAM.md.
const char kWireBidAsk[] =
    R"({"type": "tick", "stream_id": "bg_711280073_bid_ask", "timestamp": "2025-08-01T01:04:51.911004Z", )"
    R"("data": {"contract_id": 711280073, "tick_type": "bid_ask", "type": "bid_ask", "timestamp": "2025-07-31 20:04:51", )"
    R"("unix_time": 1754010291, "bid_price": 23260.0, "ask_price": 23260.5, "bid_size": 4.0, "ask_size": 2.0, )"
    R"("bid_past_low": false, "ask_past_high": false}})";
const char kWireLast[] =
    R"({"type": "tick", "stream_id": "711280073_last_1754010291000_4821", "timestamp": "2025-08-01T01:04:51.911004Z", )"
    R"("data": {"contract_id": 711280073, "tick_type": "Last", "type": "time_sales", "timestamp": "2025-07-31 20:04:51", )"
    R"("unix_time": 1754010291, "price": 23261.0, "size": 10.0, "exchange": "CME", "conditions": "", )"
    R"("past_limit": false, "unreported": true}})";
const char kWireAllLast[] =
    R"({"type": "tick", "stream_id": "bg_711280073_all_last", "timestamp": "2025-08-01T01:04:51Z", )"
    R"("data": {"contract_id": 711280073, "tick_type": "AllLast", "type": "time_sales", "timestamp": "2025-07-31 20:04:51", )"
    R"("unix_time": 1754010291, "price": 23261.0, "size": 1.0, "exchange": "CME", "conditions": "", )"
    R"("past_limit": false, "unreported": false}})";
const char kWireMidPoint[] =
    R"({"type": "tick", "stream_id": "bg_711280073_mid_point", "timestamp": "2025-08-01T01:04:51.911004Z", )"
    R"("data": {"contract_id": 711280073, "tick_type": "mid_point", "type": "midpoint", "timestamp": "2025-07-31 20:04:51", )"
    R"("unix_time": 1754010291, "midpoint": 23260.25}})";
// The storage form: compact, +00:00, contract id and tick type only in metadata.
const char kStorageBidAsk[] =
    R"({"type":"tick","stream_id":"bg_711280073_bid_ask","timestamp":"2025-08-01T01:04:51.911004+00:00",)"
    R"("data":{"type":"bid_ask","timestamp":"2025-07-31 20:04:51","unix_time":1754010291,"bid_price":23260.0,)"
    R"("ask_price":23260.5,"bid_size":4.0,"ask_size":2.0,"bid_past_low":false,"ask_past_high":false},)"
    R"("metadata":{"source":"stream_manager","request_id":"60020","contract_id":"711280073","tick_type":"bid_ask"}})";
// The spec's shape (DESIGN.md "Interfaces other tools parse").
const char kSpecBidAsk[] =
    R"({"type":"tick","stream_id":"265598_bid_ask_1741611600028_9282","timestamp":"2025-03-10T14:00:00.285000Z",)"
    R"("data":{"contract_id":265598,"tick_type":"bid_ask","bid_price":229.95,"bid_size":8.0,"ask_price":229.97,)"
    R"("ask_size":3.0,"sequence":12,"unix_time":1741615200}})";

class V2DecoderTest : public ::testing::Test {
 protected:
  DecodeResult Decode(std::string_view line) {
    DecodeResult unpadded = decoder_.Decode(line, kNow, false);
    // The padded path must agree with the copying one.
    std::string padded(line);
    padded.append(kLinePadding, 'x');
    DecodeResult with_padding = decoder_.Decode(std::string_view(padded.data(), line.size()), kNow, true);
    EXPECT_EQ(unpadded.kind, with_padding.kind) << line;
    EXPECT_EQ(unpadded.tick, with_padding.tick) << line;
    EXPECT_EQ(unpadded.detail, with_padding.detail) << line;
    return unpadded;
  }
  Tick DecodeTick(std::string_view line) {
    DecodeResult r = Decode(line);
    EXPECT_EQ(r.kind, Kind::kTick) << line << " -> " << RejectReasonCode(r.reason) << ": " << r.detail;
    return r.tick;
  }
  void ExpectReject(std::string_view line, RejectReason reason) {
    DecodeResult r = Decode(line);
    EXPECT_EQ(r.kind, Kind::kReject) << line;
    EXPECT_EQ(RejectReasonCode(r.reason), RejectReasonCode(reason)) << line << " (detail: " << r.detail << ")";
    EXPECT_FALSE(r.detail.empty()) << line;
  }
  // A spec-shaped bid_ask tick whose `data` members are `data`.
  static std::string BidAsk(std::string_view data, std::string_view ts = "2025-08-01T01:04:51.911004Z") {
    return std::string(R"({"type":"tick","stream_id":"s","timestamp":")") + std::string(ts) + R"(","data":{)" +
           std::string(data) + "}}";
  }
  static constexpr std::string_view kQuote =
      R"("contract_id":711280073,"tick_type":"bid_ask","bid_price":1.5,"bid_size":2,"ask_price":1.75,"ask_size":3)";

  V2Decoder decoder_;
};

TEST_F(V2DecoderTest, WireBidAsk) {
  Tick t = DecodeTick(kWireBidAsk);
  EXPECT_EQ(t.contract_id, 711280073u);
  EXPECT_EQ(t.tick_type, TickType::kBidAsk);
  EXPECT_EQ(t.timestamp_us, *ParseIsoTimestamp("2025-08-01T01:04:51.911004Z"));
  EXPECT_EQ(t.stream_id, "bg_711280073_bid_ask");
  EXPECT_EQ(t.bid_price, 23260.0);
  EXPECT_EQ(t.ask_price, 23260.5);
  EXPECT_EQ(t.bid_size, 4.0);
  EXPECT_EQ(t.ask_size, 2.0);
  EXPECT_EQ(t.bid_past_low, false);
  EXPECT_EQ(t.ask_past_high, false);
  EXPECT_EQ(t.unix_time, 1754010291);
  EXPECT_FALSE(t.price);
  EXPECT_FALSE(t.mid_price);
  EXPECT_EQ(t.arrival_seq, 0u);
}

TEST_F(V2DecoderTest, WireLastNormalisesTickTypeAndEmptyConditions) {
  Tick t = DecodeTick(kWireLast);
  EXPECT_EQ(t.tick_type, TickType::kLast);
  EXPECT_EQ(t.price, 23261.0);
  EXPECT_EQ(t.size, 10.0);
  EXPECT_EQ(t.exchange, "CME");
  EXPECT_TRUE(t.conditions.empty());
  EXPECT_EQ(t.past_limit, false);
  EXPECT_EQ(t.unreported, true);
  EXPECT_FALSE(t.bid_price);
}

TEST_F(V2DecoderTest, WireAllLastWithoutFraction) {
  Tick t = DecodeTick(kWireAllLast);
  EXPECT_EQ(t.tick_type, TickType::kAllLast);
  EXPECT_EQ(t.timestamp_us, 1754010291LL * kUsPerSecond);
}

TEST_F(V2DecoderTest, WireMidPointUsesMidpointField) {
  Tick t = DecodeTick(kWireMidPoint);
  EXPECT_EQ(t.tick_type, TickType::kMidPoint);
  EXPECT_EQ(t.mid_price, 23260.25);
}

TEST_F(V2DecoderTest, StorageShapeTakesIdsFromMetadata) {
  Tick t = DecodeTick(kStorageBidAsk);
  EXPECT_EQ(t.contract_id, 711280073u);
  EXPECT_EQ(t.tick_type, TickType::kBidAsk);
  EXPECT_EQ(t.timestamp_us, *ParseIsoTimestamp("2025-08-01T01:04:51.911004Z"));
  EXPECT_EQ(t.ask_price, 23260.5);
}

TEST_F(V2DecoderTest, SpecShape) {
  Tick t = DecodeTick(kSpecBidAsk);
  EXPECT_EQ(t.contract_id, 265598u);
  EXPECT_EQ(t.stream_id, "265598_bid_ask_1741611600028_9282");
  EXPECT_EQ(t.timestamp_us, *ParseIsoTimestamp("2025-03-10T14:00:00.285Z"));
  EXPECT_EQ(t.bid_price, 229.95);
  EXPECT_EQ(t.sequence, 12u);
  EXPECT_EQ(t.unix_time, 1741615200);
}

TEST_F(V2DecoderTest, SpecMidPriceAndConditionsList) {
  Tick m = DecodeTick(R"({"type":"tick","stream_id":"x","timestamp":"2025-08-01T00:00:00Z","data":)"
                      R"({"contract_id":1,"tick_type":"mid_point","mid_price":10.125}})");
  EXPECT_EQ(m.mid_price, 10.125);
  Tick l = DecodeTick(R"({"type":"tick","timestamp":"2025-08-01T00:00:00Z","data":{"contract_id":1,)"
                      R"("tick_type":"last","price":1,"size":2,"conditions":["I","T"],"exchange":"ARCA"}})");
  EXPECT_EQ(l.conditions, (std::vector<std::string>{"I", "T"}));
  EXPECT_EQ(l.stream_id, "");  // missing stream_id is not a reject
}

TEST_F(V2DecoderTest, ConditionsStringListAndNulls) {
  auto last = [](std::string_view conditions) {
    return std::string(R"({"type":"tick","timestamp":"2025-08-01T00:00:00Z","data":{"contract_id":1,)"
                       R"("tick_type":"Last","price":1,"size":2,"conditions":)") +
           std::string(conditions) + "}}";
  };
  EXPECT_TRUE(DecodeTick(last(R"("")")).conditions.empty());
  EXPECT_EQ(DecodeTick(last(R"("T")")).conditions, std::vector<std::string>{"T"});
  EXPECT_TRUE(DecodeTick(last("[]")).conditions.empty());
  EXPECT_TRUE(DecodeTick(last("null")).conditions.empty());
  EXPECT_EQ(DecodeTick(last(R"(["A",null,"B"])")).conditions, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(DecodeTick(last(R"(["a;b","c,\"d\""])")).conditions, (std::vector<std::string>{"a;b", "c,\"d\""}));
  ExpectReject(last(R"([1,"A",null,"B"])"), RejectReason::kBadValue);
  ExpectReject(last("7"), RejectReason::kBadValue);
  ExpectReject(last(R"({"a":"b"})"), RejectReason::kBadValue);
}

TEST_F(V2DecoderTest, TimestampForms) {
  const TimeUs t = *ParseIsoTimestamp("2025-08-01T01:04:51.911004Z");
  EXPECT_EQ(DecodeTick(BidAsk(kQuote, "2025-08-01T01:04:51.911004Z")).timestamp_us, t);
  EXPECT_EQ(DecodeTick(BidAsk(kQuote, "2025-08-01T01:04:51.911004+00:00")).timestamp_us, t);
  EXPECT_EQ(DecodeTick(BidAsk(kQuote, "2025-08-01T01:04:51Z")).timestamp_us, t - 911004);
  EXPECT_EQ(DecodeTick(BidAsk(kQuote, "2025-08-01T01:04:51+00:00")).timestamp_us, t - 911004);
  EXPECT_EQ(DecodeTick(BidAsk(kQuote, "2025-08-01T03:04:51.911004+02:00")).timestamp_us, t);
}

TEST_F(V2DecoderTest, ContractIdForms) {
  auto with_id = [](std::string_view id) {
    return std::string(R"({"type":"tick","timestamp":"2025-08-01T00:00:00Z","data":{"contract_id":)") +
           std::string(id) + R"(,"tick_type":"mid_point","mid_price":1}})";
  };
  EXPECT_EQ(DecodeTick(with_id("711280073")).contract_id, 711280073u);
  EXPECT_EQ(DecodeTick(with_id(R"("711280073")")).contract_id, 711280073u);
  EXPECT_EQ(DecodeTick(with_id("711280073.0")).contract_id, 711280073u);
  EXPECT_EQ(DecodeTick(with_id("4294967295")).contract_id, 4294967295u);
  EXPECT_EQ(DecodeTick(with_id("1")).contract_id, 1u);
}

TEST_F(V2DecoderTest, DataContractIdWinsOverMetadata) {
  Tick t = DecodeTick(R"({"type":"tick","timestamp":"2025-08-01T00:00:00Z","data":{"contract_id":5,)"
                      R"("tick_type":"bid_ask","bid_price":1,"bid_size":1,"ask_price":2,"ask_size":1},)"
                      R"("metadata":{"contract_id":"6","tick_type":"last"}})");
  EXPECT_EQ(t.contract_id, 5u);
  EXPECT_EQ(t.tick_type, TickType::kBidAsk);
}

TEST_F(V2DecoderTest, NullDataFieldsFallBackToMetadata) {
  Tick t = DecodeTick(R"({"metadata":{"tick_type":"MidPoint","contract_id":"42"},"type":"tick",)"
                      R"("timestamp":"2025-08-01T00:00:00Z","data":{"contract_id":null,"midpoint":3.5}})");
  EXPECT_EQ(t.contract_id, 42u);
  EXPECT_EQ(t.tick_type, TickType::kMidPoint);
  EXPECT_EQ(t.mid_price, 3.5);
}

TEST_F(V2DecoderTest, FieldsInAnyOrder) {
  Tick t = DecodeTick(R"({"data":{"ask_size":3,"ask_price":1.75,"bid_size":2,"bid_price":1.5,)"
                      R"("tick_type":"bid_ask","contract_id":7},"timestamp":"2025-08-01T00:00:00Z","type":"tick"})");
  EXPECT_EQ(t.contract_id, 7u);
  EXPECT_EQ(t.ask_size, 3.0);
}

TEST_F(V2DecoderTest, FieldsTheTickTypeDoesNotUseAreIgnored) {
  Tick t = DecodeTick(BidAsk(std::string(kQuote) +
                             R"(,"extra":{"deep":[1,{"x":null}]},"price":"ignored on bid_ask","midpoint":[])"));
  EXPECT_FALSE(t.price);
  EXPECT_FALSE(t.mid_price);
}

TEST_F(V2DecoderTest, NullOptionalFieldsAreNotGiven) {
  Tick t = DecodeTick(BidAsk(std::string(kQuote) +
                             R"(,"sequence":null,"unix_time":null,"exchange":null,"bid_past_low":null,)"
                             R"("past_limit":null,"conditions":null},"stream_id":null,"metadata":{"sequence":null)"));
  EXPECT_FALSE(t.sequence);
  EXPECT_FALSE(t.unix_time);
  EXPECT_FALSE(t.exchange);
  EXPECT_FALSE(t.bid_past_low);
  EXPECT_FALSE(t.past_limit);
  EXPECT_EQ(t.stream_id, "");
}

// Issue 10 item 14: an optional field present with an unusable value used to be
// dropped silently; now the tick is rejected, the detail naming the field.
TEST_F(V2DecoderTest, RejectUnusableSequence) {
  for (const char* bad : {"-1", "18446744073709551616", "1.5", "\"12\"", "1e999", "true", "[1]", "-0.5",
                          "9007199254740994.0", "1e300"}) {
    const std::string line = BidAsk(std::string(kQuote) + R"(,"sequence":)" + bad);
    ExpectReject(line, RejectReason::kNotNumeric);
    EXPECT_EQ(Decode(line).detail.rfind("sequence is not a whole number", 0), 0u) << Decode(line).detail;
  }
  EXPECT_EQ(DecodeTick(BidAsk(std::string(kQuote) + R"(,"sequence":5.0)")).sequence, 5u);
  EXPECT_EQ(DecodeTick(BidAsk(std::string(kQuote) + R"(,"sequence":0)")).sequence, 0u);
  // metadata.sequence is checked when it is the one used.
  const std::string meta_bad = R"({"type":"tick","timestamp":"2025-08-01T00:00:00Z","data":{)" + std::string(kQuote) +
                               R"(},"metadata":{"sequence":-3}})";
  ExpectReject(meta_bad, RejectReason::kNotNumeric);
  EXPECT_EQ(Decode(meta_bad).detail.rfind("metadata.sequence", 0), 0u) << Decode(meta_bad).detail;
  EXPECT_EQ(DecodeTick(R"({"type":"tick","timestamp":"2025-08-01T00:00:00Z","data":{)" + std::string(kQuote) +
                       R"(,"sequence":4},"metadata":{"sequence":-3}})")
                .sequence,
            4u);
}

TEST_F(V2DecoderTest, RejectUnusableUnixTime) {
  for (const char* bad : {"1e20", "1e999", "-1e20", "0", "-5", "946684799", "99999999999", "9223372036854775807",
                          "18446744073709551616"}) {
    const std::string line = BidAsk(std::string(kQuote) + R"(,"unix_time":)" + bad);
    ExpectReject(line, RejectReason::kTimestampOutOfRange);
    EXPECT_EQ(Decode(line).detail.rfind("unix_time out of range", 0), 0u) << Decode(line).detail;
  }
  // More than a day after `now`.
  ExpectReject(BidAsk(std::string(kQuote) + R"(,"unix_time":)" + std::to_string(kNow / kUsPerSecond + 2 * 86400)),
               RejectReason::kTimestampOutOfRange);
  for (const char* bad : {"1754010291.5", "\"1754010291\"", "false", "{}"}) {
    const std::string line = BidAsk(std::string(kQuote) + R"(,"unix_time":)" + bad);
    ExpectReject(line, RejectReason::kNotNumeric);
    EXPECT_EQ(Decode(line).detail.rfind("unix_time is not a whole number", 0), 0u) << Decode(line).detail;
  }
  EXPECT_EQ(DecodeTick(BidAsk(std::string(kQuote) + R"(,"unix_time":946684800)")).unix_time, 946684800);
}

TEST_F(V2DecoderTest, RejectUnusableFlagsAndText) {
  struct Case {
    std::string members;  // appended to data
    std::string field;    // the detail starts with it
  };
  for (const Case& c : std::vector<Case>{
           {R"("past_limit":1)", "past_limit"},
           {R"("unreported":"false")", "unreported"},
           {R"("bid_past_low":"no")", "bid_past_low"},
           {R"("ask_past_high":[])", "ask_past_high"},
           {R"("exchange":5)", "exchange"},
           {R"("exchange":"NY\u0000SE")", "exchange"},
           {R"("exchange":"\u001f")", "exchange"},
           {R"("conditions":["ok","a\u0000b"])", "conditions"},
           {R"("conditions":"\n")", "conditions"},
       }) {
    const std::string line = BidAsk(std::string(kQuote) + "," + c.members);
    ExpectReject(line, RejectReason::kBadValue);
    EXPECT_EQ(Decode(line).detail.rfind(c.field, 0), 0u) << line << " -> " << Decode(line).detail;
  }
  const std::string nul_id = R"({"type":"tick","stream_id":"a\u0000b","timestamp":"2025-08-01T00:00:00Z","data":{)" +
                             std::string(kQuote) + "}}";
  ExpectReject(nul_id, RejectReason::kBadValue);
  EXPECT_EQ(Decode(nul_id).detail, "stream_id holds a control character U+0000");
  ExpectReject(R"({"type":"tick","stream_id":7,"timestamp":"2025-08-01T00:00:00Z","data":{)" + std::string(kQuote) + "}}",
               RejectReason::kBadValue);
  // Escaped text without control characters is fine.
  Tick t = DecodeTick(BidAsk(std::string(kQuote) + R"(,"exchange":"\u00e9\/x","conditions":["\u0041"])"));
  EXPECT_EQ(t.exchange, "\xC3\xA9/x");
  EXPECT_EQ(t.conditions, std::vector<std::string>{"A"});
}

// Every string a tick keeps is valid UTF-8 (protobuf string fields need it):
// invalid bytes and escapes that decode to no character are bad_json.
TEST_F(V2DecoderTest, TextIsAlwaysValidUtf8) {
  for (std::string bad : {std::string("\xff"), std::string("\xc3"), std::string("\xed\xa0\x80"),
                          std::string("\\ud800"), std::string("\\udc00x"), std::string("\\ud800\\u0041")}) {
    ExpectReject(R"({"type":"tick","stream_id":")" + bad + R"(","timestamp":"2025-08-01T00:00:00Z","data":{)" +
                     std::string(kQuote) + "}}",
                 RejectReason::kBadJson);
    ExpectReject(BidAsk(std::string(kQuote) + R"(,"exchange":")" + bad + "\""), RejectReason::kBadJson);
    ExpectReject(BidAsk(std::string(kQuote) + R"(,"conditions":[")" + bad + "\"]"), RejectReason::kBadJson);
  }
  EXPECT_EQ(DecodeTick(BidAsk(std::string(kQuote) + R"(,"exchange":"\ud83d\ude00")")).exchange, "\xF0\x9F\x98\x80");
}

// Issue 10 item 14: a UTF-8 byte order mark on line 1 (Notepad, PowerShell) was "not JSON".
TEST_F(V2DecoderTest, ByteOrderMarkIsSkipped) {
  Tick t = DecodeTick("\xEF\xBB\xBF" + std::string(kSpecBidAsk));
  EXPECT_EQ(t.contract_id, 265598u);
  EXPECT_EQ(t.sequence, 12u);
  EXPECT_EQ(Decode("\xEF\xBB\xBF" R"({"type":"heartbeat"})").kind, Kind::kHeartbeat);
  // Only one, and only at the start.
  ExpectReject("\xEF\xBB\xBF\xEF\xBB\xBF" + std::string(kSpecBidAsk), RejectReason::kBadJson);
  ExpectReject(" \xEF\xBB\xBF" + std::string(kSpecBidAsk), RejectReason::kBadJson);
}

TEST_F(V2DecoderTest, OptionalFieldsKept) {
  Tick t = DecodeTick(BidAsk(std::string(kQuote) +
                             R"(,"sequence":18446744073709551615,"unix_time":1754010291.0,"exchange":"SMART")"));
  EXPECT_EQ(t.sequence, 18446744073709551615ull);
  EXPECT_EQ(t.unix_time, 1754010291);
  EXPECT_EQ(t.exchange, "SMART");
}

TEST_F(V2DecoderTest, SequenceFromMetadataWhenDataHasNone) {
  EXPECT_EQ(DecodeTick(R"({"type":"tick","timestamp":"2025-08-01T00:00:00Z","data":{)" + std::string(kQuote) +
                       R"(},"metadata":{"source":"test_script","sequence":9}})")
                .sequence,
            9u);
}

TEST_F(V2DecoderTest, EscapesInKeysAndStrings) {
  Tick t = DecodeTick(R"({"typ\u0065":"tick","stream_id":"a\"b\\c\u00e9","timestamp":"2025-08-01T00:00:00Z",)"
                      R"("data":{)" + std::string(kQuote) + R"(,"exch\u0061nge":"N\u0059SE"}})");
  EXPECT_EQ(t.stream_id, "a\"b\\c\xC3\xA9");
  EXPECT_EQ(t.exchange, "NYSE");
}

TEST_F(V2DecoderTest, WhitespaceAroundTheObject) {
  DecodeTick("  \t" + BidAsk(kQuote) + " \t ");
}

TEST_F(V2DecoderTest, ReusedResultIsReset) {
  DecodeResult r;
  decoder_.Decode(kWireLast, kNow, false, r);
  ASSERT_EQ(r.kind, Kind::kTick);
  ASSERT_TRUE(r.tick.exchange);
  decoder_.Decode(R"({"type":"tick","timestamp":"2025-08-01T00:00:00Z","data":{"contract_id":1,)"
                  R"("tick_type":"last","price":1,"size":2,"conditions":["X"]}})",
                  kNow, false, r);
  ASSERT_EQ(r.kind, Kind::kTick);
  EXPECT_FALSE(r.tick.exchange);
  EXPECT_FALSE(r.tick.unix_time);
  EXPECT_FALSE(r.tick.unreported);
  EXPECT_EQ(r.tick.conditions, std::vector<std::string>{"X"});
  EXPECT_EQ(r.tick.stream_id, "");
  decoder_.Decode("{", kNow, false, r);
  EXPECT_EQ(r.kind, Kind::kReject);
  decoder_.Decode(kSpecBidAsk, kNow, false, r);
  EXPECT_EQ(r.kind, Kind::kTick);
  EXPECT_TRUE(r.detail.empty());
  EXPECT_FALSE(r.tick.price);
  EXPECT_TRUE(r.tick.conditions.empty());
}

// ---- lifecycle and heartbeat ----

TEST_F(V2DecoderTest, Heartbeat) {
  EXPECT_EQ(Decode(R"({"type":"heartbeat","timestamp":"2025-08-01T00:00:00Z"})").kind, Kind::kHeartbeat);
  EXPECT_EQ(Decode(R"({"type": "heartbeat"})").kind, Kind::kHeartbeat);
}

TEST_F(V2DecoderTest, InfoWithStreamConfigAndClientStreamId) {
  const std::string line =
      R"({"type": "info", "stream_id": "711280073_bid_ask_1754010291000_4821", "timestamp": "2025-08-01T01:04:51Z", )"
      R"("data": {"status": "subscribed", "contract_info": {"symbol": "MNQ", "exchange": "CME"}, )"
      R"("stream_config": {"tick_type": "bid_ask", "limit": null}}})";
  DecodeResult r = Decode(line);
  ASSERT_EQ(r.kind, Kind::kLifecycle);
  EXPECT_EQ(r.lifecycle.type, "info");
  EXPECT_EQ(r.lifecycle.code, "subscribed");
  EXPECT_EQ(r.lifecycle.stream_id, "711280073_bid_ask_1754010291000_4821");
  EXPECT_EQ(r.lifecycle.timestamp, 1754010291LL * kUsPerSecond);
  EXPECT_EQ(r.lifecycle.contract_id, 711280073u);
  EXPECT_EQ(r.lifecycle.tick_type, TickType::kBidAsk);
  EXPECT_EQ(r.lifecycle.raw, line);
}

TEST_F(V2DecoderTest, ErrorTakesIdsFromBackgroundStreamId) {
  DecodeResult r = Decode(
      R"({"type":"error","stream_id":"bg_265598_all_last","timestamp":"2025-08-01T01:04:51.5+00:00",)"
      R"("data":{"code":"CONNECTION_ERROR","message":"lost","details":{"retry":true},"recoverable":true}})");
  ASSERT_EQ(r.kind, Kind::kLifecycle);
  EXPECT_EQ(r.lifecycle.type, "error");
  EXPECT_EQ(r.lifecycle.code, "CONNECTION_ERROR");
  EXPECT_EQ(r.lifecycle.contract_id, 265598u);
  EXPECT_EQ(r.lifecycle.tick_type, TickType::kAllLast);
  EXPECT_EQ(r.lifecycle.timestamp, 1754010291LL * kUsPerSecond + 500000);
}

TEST_F(V2DecoderTest, CompleteTakesIdsFromDataThenMetadata) {
  DecodeResult r = Decode(
      R"({"type":"complete","stream_id":"bg_1_last","timestamp":"garbage","data":{"reason":"limit_reached",)"
      R"("total_ticks":100,"duration_seconds":1.5,"contract_id":77},"metadata":{"tick_type":"AllLast","contract_id":"88"}})");
  ASSERT_EQ(r.kind, Kind::kLifecycle);
  EXPECT_EQ(r.lifecycle.type, "complete");
  EXPECT_EQ(r.lifecycle.code, "limit_reached");
  EXPECT_EQ(r.lifecycle.contract_id, 77u);
  EXPECT_EQ(r.lifecycle.tick_type, TickType::kAllLast);
  EXPECT_EQ(r.lifecycle.timestamp, 0);  // unparsable: 0, not a reject
}

TEST_F(V2DecoderTest, LifecycleWithoutAnyIds) {
  DecodeResult r = Decode(R"({"type":"error","stream_id":"whatever","data":{"code":"INTERNAL_ERROR"}})");
  ASSERT_EQ(r.kind, Kind::kLifecycle);
  EXPECT_FALSE(r.lifecycle.contract_id);
  EXPECT_FALSE(r.lifecycle.tick_type);
  EXPECT_EQ(r.lifecycle.timestamp, 0);
}

// ---- one named test per reject reason ----

TEST_F(V2DecoderTest, RejectLineTooLong) {
  std::string line = BidAsk(std::string(kQuote) + R"(,"pad":")" + std::string(kMaxLineBytes, 'x') + "\"");
  ExpectReject(line, RejectReason::kLineTooLong);
  // Exactly at the limit is fine.
  std::string base = BidAsk(std::string(kQuote) + R"(,"pad":"")");
  std::string at_limit = BidAsk(std::string(kQuote) + R"(,"pad":")" + std::string(kMaxLineBytes - base.size(), 'x') + "\"");
  ASSERT_EQ(at_limit.size(), kMaxLineBytes);
  DecodeTick(at_limit);
}

TEST_F(V2DecoderTest, RejectBadJson) {
  for (std::string line : {
           std::string("{not json"),
           std::string(""),
           std::string("   "),
           std::string("{"),
           std::string(R"({"type":"tick",})"),
           std::string(R"({"type":"tick"} trailing)"),
           std::string(R"({"type":"tick"}})"),
           std::string(R"({"type":"tick"}{"type":"tick"})"),
           std::string(R"({"type":NaN})"),
           std::string("{\"type\":\"tick\",\"stream_id\":\"bad\xff utf8\"}"),
           std::string("{\"type\":\"tick\",\"stream_id\":\"raw\ttab\"}"),
           std::string("[1,2"),
           std::string("123abc"),
           // Malformed values inside fields nobody reads still make the line bad.
           BidAsk(std::string(kQuote) + R"(,"x":tru)"),
           BidAsk(std::string(kQuote) + R"(,"x":[1,,2])"),
           BidAsk(std::string(kQuote) + R"(,"x":"\q")"),
           BidAsk(std::string(kQuote) + R"(,"x":{"y":})"),
           BidAsk(std::string(kQuote) + R"(,"x":01)"),
           BidAsk(std::string(kQuote) + R"(,"x":-)"),
           BidAsk(std::string(kQuote) + R"(,"x":nul)"),
           BidAsk(std::string(kQuote) + R"(,"bid_past_low":fals)"),
           BidAsk(std::string(kQuote) + R"(,"k\q":1)"),
           std::string(R"({"type":"tick","data":{"bid_price":1.5.5}})"),
       }) {
    ExpectReject(line, RejectReason::kBadJson);
  }
}

// simdjson peeks at the first byte after the line on some error paths (its
// issue #1834): whatever follows, the result must be the same. (Found by fuzzing.)
TEST_F(V2DecoderTest, BytesAfterTheLineDoNotChangeTheResult) {
  for (std::string_view line : {R"({"type":"itck","stream_id":"x"}}\n)", R"({"type":"heartbeat"}})",
                                R"({"a":{"b":1}}})", R"({"type":"heartbeat")"}) {
    DecodeResult want = decoder_.Decode(line, kNow, false);
    EXPECT_EQ(want.reason, RejectReason::kBadJson) << line;
    for (char after : {'}', ']', ' ', '\0', '"', '{'}) {
      std::string padded(line);
      padded.append(kLinePadding, after);
      DecodeResult got = decoder_.Decode(std::string_view(padded.data(), line.size()), kNow, true);
      EXPECT_EQ(got.kind, want.kind) << line << " + " << after;
      EXPECT_EQ(got.reason, want.reason) << line << " + " << after;
      EXPECT_EQ(got.detail, want.detail) << line << " + " << after;
      // And a stale copy buffer (a longer line decoded before) changes nothing either.
      decoder_.Decode(std::string(line.size() + kLinePadding, after), kNow, false);
      EXPECT_EQ(decoder_.Decode(line, kNow, false).detail, want.detail) << line << " after " << after;
    }
  }
}

// Nesting is bounded (recursion would overflow the stack: found by fuzzing).
TEST_F(V2DecoderTest, DeepNestingInIgnoredFields) {
  auto nested = [&](int depth) {
    return BidAsk(std::string(kQuote) + R"(,"x":)" + std::string(depth, '[') + std::string(depth, ']'));
  };
  DecodeTick(nested(60));
  DecodeResult r = Decode(nested(65));
  EXPECT_EQ(r.reason, RejectReason::kBadJson);
  EXPECT_NE(r.detail.find("nested"), std::string::npos) << r.detail;
  ExpectReject(nested(30000), RejectReason::kBadJson);
  ExpectReject(BidAsk(std::string(kQuote) + R"(,"x":)" + std::string(30000, '[')), RejectReason::kBadJson);
  std::string objects;
  for (int i = 0; i < 5000; ++i) objects += R"({"a":)";
  objects += "1" + std::string(5000, '}');
  ExpectReject(BidAsk(std::string(kQuote) + R"(,"x":)" + objects), RejectReason::kBadJson);
}

TEST_F(V2DecoderTest, RejectNotObject) {
  for (const char* line : {"[1,2]", "42", "\"tick\"", "null", "true", " [] "}) {
    ExpectReject(line, RejectReason::kNotObject);
  }
}

TEST_F(V2DecoderTest, RejectUnknownType) {
  ExpectReject(R"({"stream_id":"x","data":{}})", RejectReason::kUnknownType);
  ExpectReject(R"({"type":"quote","data":{}})", RejectReason::kUnknownType);
  ExpectReject(R"({"type":5,"data":{}})", RejectReason::kUnknownType);
  ExpectReject(R"({"type":null})", RejectReason::kUnknownType);
  ExpectReject(R"({"type":"Tick"})", RejectReason::kUnknownType);
}

TEST_F(V2DecoderTest, RejectBadContractId) {
  for (const char* id : {"0", "-1", "4294967296", "99999999999999999999999", "1.5", "1e999", R"("abc")", R"("")",
                         R"("0")", R"("-5")", R"("12a")", R"("4294967296")", "true", "[1]", "{}"}) {
    ExpectReject(R"({"type":"tick","timestamp":"2025-08-01T00:00:00Z","data":{"contract_id":)" + std::string(id) +
                     R"(,"tick_type":"mid_point","mid_price":1}})",
                 RejectReason::kBadContractId);
  }
  // Present but invalid in data does not fall back to metadata.
  ExpectReject(R"({"type":"tick","timestamp":"2025-08-01T00:00:00Z","data":{"contract_id":0,)"
               R"("tick_type":"mid_point","mid_price":1},"metadata":{"contract_id":"5"}})",
               RejectReason::kBadContractId);
  ExpectReject(R"({"type":"tick","timestamp":"2025-08-01T00:00:00Z","data":{"tick_type":"mid_point",)"
               R"("mid_price":1},"metadata":{"contract_id":"0x10"}})",
               RejectReason::kBadContractId);
}

TEST_F(V2DecoderTest, RejectUnknownTickType) {
  for (const char* tt : {R"("quote")", R"("time_sales")", R"("")", "5", "[]"}) {
    ExpectReject(R"({"type":"tick","timestamp":"2025-08-01T00:00:00Z","data":{"contract_id":1,"tick_type":)" +
                     std::string(tt) + R"(,"mid_price":1}})",
                 RejectReason::kUnknownTickType);
  }
  ExpectReject(R"({"type":"tick","timestamp":"2025-08-01T00:00:00Z","data":{"contract_id":1,"mid_price":1},)"
               R"("metadata":{"tick_type":"bidask_x"}})",
               RejectReason::kUnknownTickType);
}

TEST_F(V2DecoderTest, RejectBadTimestamp) {
  for (const char* ts : {R"("yesterday")", R"("2025-13-01T00:00:00Z")", R"("2025-08-01T25:00:00Z")",
                         R"("2025-08-01T00:00:00 UTC")", R"("")", "1754010291", "true"}) {
    ExpectReject(R"({"type":"tick","timestamp":)" + std::string(ts) + R"(,"data":{)" + std::string(kQuote) + "}}",
                 RejectReason::kBadTimestamp);
  }
}

TEST_F(V2DecoderTest, RejectTimestampOutOfRange) {
  ExpectReject(BidAsk(kQuote, "1999-12-31T23:59:59.999999Z"), RejectReason::kTimestampOutOfRange);
  ExpectReject(BidAsk(kQuote, "1970-01-01T00:00:00Z"), RejectReason::kTimestampOutOfRange);
  ExpectReject(BidAsk(kQuote, "2025-08-03T00:00:00.000001Z"), RejectReason::kTimestampOutOfRange);  // now + 1 day + 1 µs
  DecodeTick(BidAsk(kQuote, "2000-01-01T00:00:00Z"));
  DecodeTick(BidAsk(kQuote, "2025-08-03T00:00:00Z"));  // exactly a day ahead
}

TEST_F(V2DecoderTest, RejectMissingField) {
  const std::string ts = R"("timestamp":"2025-08-01T00:00:00Z")";
  // Required price fields, per tick type.
  for (const char* field : {"bid_price", "bid_size", "ask_price", "ask_size"}) {
    std::string data = R"("contract_id":1,"tick_type":"bid_ask")";
    for (const char* f : {"bid_price", "bid_size", "ask_price", "ask_size"}) {
      if (std::string(f) != field) data += std::string(",\"") + f + "\":1";
    }
    DecodeResult r = Decode(BidAsk(data));
    EXPECT_EQ(r.reason, RejectReason::kMissingField);
    EXPECT_EQ(r.detail, std::string("missing field ") + field);
  }
  ExpectReject(BidAsk(R"("contract_id":1,"tick_type":"last","price":1)"), RejectReason::kMissingField);
  ExpectReject(BidAsk(R"("contract_id":1,"tick_type":"all_last","size":1)"), RejectReason::kMissingField);
  ExpectReject(BidAsk(R"("contract_id":1,"tick_type":"mid_point","price":1)"), RejectReason::kMissingField);
  // null counts as missing.
  ExpectReject(BidAsk(R"("contract_id":1,"tick_type":"last","price":null,"size":1)"), RejectReason::kMissingField);
  ExpectReject(BidAsk(R"("contract_id":1,"tick_type":"mid_point","mid_price":null,"midpoint":null)"),
               RejectReason::kMissingField);
  EXPECT_EQ(DecodeTick(BidAsk(R"("contract_id":1,"tick_type":"mid_point","mid_price":null,"midpoint":2)")).mid_price, 2.0);
  // Identity and envelope.
  ExpectReject(BidAsk(R"("tick_type":"mid_point","mid_price":1)"), RejectReason::kMissingField);
  ExpectReject(BidAsk(R"("contract_id":1,"mid_price":1)"), RejectReason::kMissingField);
  ExpectReject(R"({"type":"tick","data":{)" + std::string(kQuote) + "}}", RejectReason::kMissingField);
  ExpectReject(R"({"type":"tick","timestamp":null,"data":{)" + std::string(kQuote) + "}}", RejectReason::kMissingField);
  ExpectReject(R"({"type":"tick",)" + ts + "}", RejectReason::kMissingField);
  ExpectReject(R"({"type":"tick",)" + ts + R"(,"data":[1]})", RejectReason::kMissingField);
}

TEST_F(V2DecoderTest, RejectNotNumeric) {
  for (const char* v : {R"("1.5")", "true", "[1]", R"({"v":1})"}) {
    ExpectReject(BidAsk(R"("contract_id":1,"tick_type":"last","size":1,"price":)" + std::string(v)),
                 RejectReason::kNotNumeric);
  }
  DecodeResult r = Decode(BidAsk(R"("contract_id":1,"tick_type":"mid_point","midpoint":"23260.25")"));
  EXPECT_EQ(r.reason, RejectReason::kNotNumeric);
  EXPECT_NE(r.detail.find("23260.25"), std::string::npos) << r.detail;
}

TEST_F(V2DecoderTest, RejectNotFinite) {
  for (const char* v : {"1e999", "-1e400", "123456789e400"}) {
    ExpectReject(BidAsk(R"("contract_id":1,"tick_type":"bid_ask","bid_price":1,"bid_size":1,"ask_price":2,)"
                        R"("ask_size":)" + std::string(v)),
                 RejectReason::kNotFinite);
  }
  // Underflow is a finite zero.
  EXPECT_EQ(DecodeTick(BidAsk(R"("contract_id":1,"tick_type":"mid_point","mid_price":1e-999)")).mid_price, 0.0);
}

TEST_F(V2DecoderTest, RejectOrderIsTypeThenIdentityThenTimeThenFields) {
  // Everything wrong at once: the type is reported first.
  ExpectReject(R"({"type":"x","timestamp":"bad","data":{"contract_id":0,"tick_type":"q"}})", RejectReason::kUnknownType);
  ExpectReject(R"({"type":"tick","timestamp":"bad","data":{"contract_id":0,"tick_type":"q"}})",
               RejectReason::kBadContractId);
  ExpectReject(R"({"type":"tick","timestamp":"bad","data":{"contract_id":1,"tick_type":"q"}})",
               RejectReason::kUnknownTickType);
  ExpectReject(R"({"type":"tick","timestamp":"bad","data":{"contract_id":1,"tick_type":"last"}})",
               RejectReason::kBadTimestamp);
  // A JSON error anywhere beats every semantic problem.
  ExpectReject(R"({"type":"x","timestamp":"bad","data":{"contract_id":0,"tick_type":"q"},"z":[,]})",
               RejectReason::kBadJson);
}

}  // namespace
}  // namespace ibr::ingest
