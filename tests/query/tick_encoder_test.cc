// Encoders: exact bytes of ndjson/csv, JSON shape (nlohmann), protobuf frames
// (generated ib_stream::StreamMessage), chunked output.
#include "query/tick_encoder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "format/frame.h"
#include "format/tick_codec.h"
#include "query/tick_json.h"
#include "query_test_util.h"
#include "tick_stream.pb.h"

namespace ibr::query {
namespace {

using testing::BidAsk;
using testing::Last;
using testing::T;

struct Captured {
  std::string bytes;
  int flushes = 0;
  OutputBuffer buffer;
  explicit Captured(std::size_t chunk = OutputBuffer::kDefaultChunkBytes)
      : buffer([this](std::string_view c) {
          bytes.append(c);
          ++flushes;
          return Status::Ok();
        }, chunk) {}
};

QueryDescription Description() {
  return QueryDescription{265598, {TickType::kBidAsk, TickType::kLast}, T("2025-03-10T14:00:00Z"),
                          T("2025-03-10T15:00:00Z")};
}

std::vector<Tick> SampleTicks() {
  Tick a = BidAsk(T("2025-03-10T14:00:00.285Z"), 1);
  a.sequence = 12;
  a.unix_time = 1741615200;
  Tick b = Last(T("2025-03-10T14:00:01Z"), 2, 230.5);
  b.conditions = {"T", "I,x"};
  Tick c = Last(T("2025-03-10T14:00:02Z"), 3, 230.25);
  c.exchange = "NY\"SE";
  c.conditions = {"@"};
  return {a, b, c};
}

std::string Encode(OutputFormat f, const std::vector<Tick>& ticks, const std::vector<std::string>& bodies = {},
                   EncoderOptions options = {}) {
  Captured cap;
  auto enc = MakeTickEncoder(f, cap.buffer, options);
  EXPECT_TRUE(enc->Begin(Description()).ok());
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    EXPECT_TRUE(enc->OnTick(ticks[i], i < bodies.size() ? bodies[i] : std::string_view()).ok());
  }
  EXPECT_TRUE(enc->Finish().ok());
  EXPECT_EQ(enc->count(), ticks.size());
  return cap.bytes;
}

TEST(TickEncoderTest, NdjsonIsOneTickJsonPerLine) {
  auto ticks = SampleTicks();
  std::string expected;
  TickJsonWriter w;
  for (const auto& t : ticks) {
    w.Append(expected, t);
    expected.push_back('\n');
  }
  EXPECT_EQ(Encode(OutputFormat::kNdjson, ticks), expected);
  EXPECT_EQ(Encode(OutputFormat::kNdjson, {}), "");
}

TEST(TickEncoderTest, NdjsonHistoricalOption) {
  std::string out = Encode(OutputFormat::kNdjson, {BidAsk(0, 1)}, {}, EncoderOptions{.historical = true});
  EXPECT_NE(out.find(R"(},"metadata":{"historical":true}})" "\n"), std::string::npos) << out;
}

TEST(TickEncoderTest, CsvHeaderAndRows) {
  auto ticks = SampleTicks();
  ticks[0].bid_past_low = false;
  ticks[0].ask_past_high = true;
  ticks[1].past_limit = true;
  ticks[1].unreported = false;
  EXPECT_EQ(Encode(OutputFormat::kCsv, ticks),
            "timestamp,contract_id,tick_type,price,size,bid_price,bid_size,ask_price,ask_size,mid_price,exchange,"
            "conditions,sequence,unix_time,stream_id,past_limit,unreported,bid_past_low,ask_past_high\n"
            "2025-03-10T14:00:00.285000Z,265598,bid_ask,,,229.95,8.0,229.97,3.0,,,,12,1741615200,bg_265598_bid_ask,,,"
            "false,true\n"
            "2025-03-10T14:00:01.000000Z,265598,last,230.5,100.0,,,,,,NASDAQ,\"[\"\"T\"\",\"\"I,x\"\"]\",,,"
            "bg_265598_last,true,false,,\n"
            "2025-03-10T14:00:02.000000Z,265598,last,230.25,100.0,,,,,,\"NY\"\"SE\",\"[\"\"@\"\"]\",,,"
            "bg_265598_last,,,,\n");
}

// Issue 10 item 13: a NUL (JSON \u0000) came out as a raw NUL byte. Control
// characters in conditions survive as JSON escapes; in other text cells
// (only in data stored before ingest rejected them) they become U+FFFD.
TEST(TickEncoderTest, CsvControlCharacters) {
  Tick t = Last(T("2025-03-10T14:00:01Z"), 2, 230.5);
  t.exchange = std::string("N\0Y\x01", 4);
  t.stream_id = "a\tb";
  t.conditions = {std::string("x\0y", 3), "\n"};
  const std::string out = Encode(OutputFormat::kCsv, {t});
  EXPECT_EQ(out.find('\0'), std::string::npos);
  EXPECT_NE(out.find(",N\xEF\xBF\xBDY\xEF\xBF\xBD,\"[\"\"x\\u0000y\"\",\"\"\\n\"\"]\",,,a\tb,"), std::string::npos) << out;
}

TEST(TickEncoderTest, JsonShapeParses) {
  auto ticks = SampleTicks();
  std::string text = Encode(OutputFormat::kJson, ticks);
  EXPECT_TRUE(text.starts_with(R"({"contract_id":265598,"tick_types":["bid_ask","last"],"start_time":")")) << text;
  EXPECT_TRUE(text.ends_with("}],\"count\":3}\n")) << text;
  auto doc = nlohmann::json::parse(text);
  EXPECT_EQ(doc["contract_id"], 265598);
  EXPECT_EQ(doc["tick_types"], nlohmann::json::array({"bid_ask", "last"}));
  EXPECT_EQ(doc["start_time"], "2025-03-10T14:00:00.000000Z");
  EXPECT_EQ(doc["end_time"], "2025-03-10T15:00:00.000000Z");
  EXPECT_EQ(doc["count"], 3);
  ASSERT_EQ(doc["messages"].size(), 3u);
  TickJsonWriter w;
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    std::string line;
    w.Append(line, ticks[i]);
    EXPECT_EQ(doc["messages"][i], nlohmann::json::parse(line));
  }
  EXPECT_EQ(nlohmann::json::parse(Encode(OutputFormat::kJson, {}))["count"], 0);
  EXPECT_EQ(nlohmann::json::parse(Encode(OutputFormat::kJson, {}))["messages"], nlohmann::json::array());
}

TEST(TickEncoderTest, ProtobufPassesStoredBodiesThroughWithoutCrc) {
  auto ticks = SampleTicks();
  std::vector<std::string> bodies;
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    std::string stored;
    format::EncodeTickMessage(ticks[i], format::Checksum::kCrc32c, stored);
    // What the file reader hands over: the stored body without its CRC field;
    // the last tick has none, so the encoder must encode it.
    bodies.push_back(i + 1 < ticks.size() ? std::string(format::StripChecksum(stored)) : std::string());
  }
  std::string out = Encode(OutputFormat::kProtobuf, ticks, bodies);
  format::FrameReader frames(out);
  std::string_view body;
  std::size_t n = 0;
  while (frames.Next(&body)) {
    ASSERT_LT(n, ticks.size());
    if (n < bodies.size() && !bodies[n].empty()) {
      EXPECT_EQ(body, bodies[n]);  // passed through unchanged
    }
    ib_stream::StreamMessage msg;
    ASSERT_TRUE(msg.ParseFromArray(body.data(), static_cast<int>(body.size())));
    EXPECT_EQ(msg.type(), "tick");
    EXPECT_FALSE(msg.has_crc32c());
    EXPECT_EQ(msg.tick_data().contract_id(), 265598u);
    EXPECT_EQ(msg.tick_data().tick_type(), TickTypeName(ticks[n].tick_type));
    EXPECT_EQ(msg.arrival_sequence(), ticks[n].arrival_seq);
    EXPECT_EQ(msg.timestamp().seconds() * 1000000 + msg.timestamp().nanos() / 1000, ticks[n].timestamp_us);
    ++n;
  }
  EXPECT_EQ(frames.stop(), format::FrameStop::kEnd);
  EXPECT_EQ(n, ticks.size());
}

TEST(TickEncoderTest, OutputIsFlushedInChunks) {
  Captured cap(1000);
  auto enc = MakeNdjsonEncoder(cap.buffer, {});
  ASSERT_TRUE(enc->Begin(Description()).ok());
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(enc->OnTick(BidAsk(i, i), {}).ok());
  EXPECT_GT(cap.flushes, 10);
  EXPECT_LT(cap.bytes.size(), 100u * 250u);
  ASSERT_TRUE(enc->Finish().ok());
  EXPECT_EQ(std::count(cap.bytes.begin(), cap.bytes.end(), '\n'), 100);
}

TEST(TickEncoderTest, FlushErrorIsStickyAndStopsTheQuery) {
  int calls = 0;
  OutputBuffer buffer([&](std::string_view) {
    ++calls;
    return Status::IoError("writing output: Broken pipe");
  }, 10);
  auto enc = MakeCsvEncoder(buffer, {});
  EXPECT_FALSE(enc->Begin(Description()).ok());
  EXPECT_FALSE(enc->OnTick(BidAsk(0, 1), {}).ok());
  EXPECT_EQ(enc->Finish().code(), StatusCode::kIoError);
  EXPECT_EQ(calls, 1);
}

TEST(TickEncoderTest, FormatNames) {
  EXPECT_EQ(*ParseOutputFormat("csv"), OutputFormat::kCsv);
  EXPECT_EQ(OutputContentType(OutputFormat::kProtobuf), "application/x-protobuf");
  auto bad = ParseOutputFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'xml'"), std::string::npos);
}

}  // namespace
}  // namespace ibr::query
