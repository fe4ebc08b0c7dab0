// Historical endpoints over real files: the seed's JSON shape per kind,
// ndjson/csv/protobuf, tick_type vs tick_types, limits, 400s that quote the
// input, 404 only for contracts neither tracked nor stored, and a 200k-tick
// answer streamed with chunked transfer that parses back exactly.
#include <sstream>

#include "http_test_support.h"
#include "tick_stream.pb.h"

namespace ibr::http::testing {
namespace {

class HistoricalTest : public HttpServerTest {
 protected:
  void SetUp() override {
    // 14:00-15:00 (now is 15:00): quotes at :05 :15 :25 :35 :45, trades at :10 :30; one quote at 13:00.
    std::vector<Tick> ticks;
    ticks.push_back(Quote(kAapl, T("2025-03-10T13:00:00Z"), 100));
    for (int m : {5, 15, 25, 35, 45}) ticks.push_back(Quote(kAapl, T("2025-03-10T14:00:00Z") + m * kUsPerMinute, m));
    for (int m : {10, 30}) ticks.push_back(Trade(kAapl, T("2025-03-10T14:00:00Z") + m * kUsPerMinute, 1000 + m));
    std::sort(ticks.begin(), ticks.end(), [](const Tick& a, const Tick& b) { return a.timestamp_us < b.timestamp_us; });
    store_.Add(ticks);
    store_.Add(Quote(kLoose, T("2025-03-10T14:30:00Z"), 7));
    StartServer();
  }
  static std::vector<std::uint64_t> Sequences(const nlohmann::json& messages) {
    std::vector<std::uint64_t> out;
    for (const auto& m : messages) out.push_back(m["data"]["sequence"].get<std::uint64_t>());
    return out;
  }
  void ExpectBad(const std::string& path, const std::string& quoted) {
    auto j = GetJson(path, 400);
    ASSERT_TRUE(j.is_object()) << path;
    EXPECT_NE(j["error"].get<std::string>().find(quoted), std::string::npos) << path << ": " << j.dump();
  }
};

TEST_F(HistoricalTest, RangeAnswersTheSeedShapeWithBidAskByDefault) {
  auto j = GetJson("/v2/historical/265598/range?start_time=2025-03-10T14:10:00Z&end_time=2025-03-10T14:35:00Z");
  EXPECT_EQ(j["contract_id"], kAapl);
  EXPECT_EQ(j["tick_types"], nlohmann::json({"bid_ask"}));
  EXPECT_EQ(j["start_time"], "2025-03-10T14:10:00.000000Z");
  EXPECT_EQ(j["end_time"], "2025-03-10T14:35:00.000000Z");
  EXPECT_EQ(j["count"], 2);
  EXPECT_EQ(Sequences(j["messages"]), (std::vector<std::uint64_t>{15, 25}));  // 14:35 is outside [start, end)
  const auto& m = j["messages"][0];
  EXPECT_EQ(m["type"], "tick");
  EXPECT_EQ(m["stream_id"], "bg_265598_bid_ask");
  EXPECT_EQ(m["timestamp"], "2025-03-10T14:15:00.000000Z");
  EXPECT_EQ(m["data"]["tick_type"], "bid_ask");
  EXPECT_FALSE(m.contains("metadata"));
}

TEST_F(HistoricalTest, TickTypesMergeInTimeOrderAndTickTypePicksOne) {
  auto j = GetJson(
      "/v2/historical/265598/range?start_time=2025-03-10T14:00:00Z&end_time=2025-03-10T14:40:00Z&tick_types=bid_ask,last");
  EXPECT_EQ(Sequences(j["messages"]), (std::vector<std::uint64_t>{5, 1010, 15, 25, 1030, 35}));
  auto last = GetJson("/v2/historical/265598/range?start_time=2025-03-10T14:00:00Z&end_time=2025-03-10T15:00:00Z&tick_type=last");
  EXPECT_EQ(Sequences(last["messages"]), (std::vector<std::uint64_t>{1010, 1030}));
}

TEST_F(HistoricalTest, ToPresentEndsNowAndSaysSo) {
  auto j = GetJson("/v2/historical/265598/to-present?start_time=2025-03-10T14:40:00Z");
  EXPECT_EQ(j["current_time"], "2025-03-10T15:00:00.000000Z");
  EXPECT_EQ(j["end_time"], "2025-03-10T15:00:00.000000Z");
  EXPECT_EQ(Sequences(j["messages"]), (std::vector<std::uint64_t>{45}));
  // A '+' left unencoded in an offset arrives as a space; it still parses.
  auto plus = GetJson("/v2/historical/265598/to-present?start_time=2025-03-10T14:40:00+00:00");
  EXPECT_EQ(plus["count"], 1);
}

TEST_F(HistoricalTest, SessionUsesMarketHoursInUtc) {
  // 2025-03-10 is after the US DST switch: regular session 09:30-16:00 EDT = 13:30-20:00 UTC.
  auto j = GetJson("/v2/historical/265598/session?date=2025-03-10&session_type=regular&market=US");
  EXPECT_EQ(j["session"]["type"], "regular");
  EXPECT_EQ(j["session"]["market"], "US");
  EXPECT_EQ(j["session"]["date"], "2025-03-10");
  EXPECT_EQ(j["session"]["start"], "2025-03-10T13:30:00.000000Z");
  EXPECT_EQ(j["session"]["end"], "2025-03-10T20:00:00.000000Z");
  EXPECT_EQ(Sequences(j["messages"]), (std::vector<std::uint64_t>{5, 15, 25, 35, 45}));  // not the 13:00 one
  // Defaults: regular, US, today in New York.
  auto d = GetJson("/v2/historical/265598/session");
  EXPECT_EQ(d["session"]["date"], "2025-03-10");
  EXPECT_EQ(d["count"], 5);
}

TEST_F(HistoricalTest, RelativeTakesTheSeedsNamesAndDurations) {
  auto named = GetJson("/v2/historical/265598/relative?period=last_30_minutes");
  EXPECT_EQ(named["period"], "last_30_minutes");
  EXPECT_EQ(Sequences(named["messages"]), (std::vector<std::uint64_t>{35, 45}));
  auto dflt = GetJson("/v2/historical/265598/relative");
  EXPECT_EQ(dflt["period"], "last_hour");
  EXPECT_EQ(dflt["count"], 5);
  auto dur = GetJson("/v2/historical/265598/relative?period=2h30m&tick_types=bid_ask,last");
  EXPECT_EQ(dur["start_time"], "2025-03-10T12:30:00.000000Z");
  EXPECT_EQ(dur["count"], 8);
  ExpectBad("/v2/historical/265598/relative?period=last_century", "'last_century'");
}

TEST_F(HistoricalTest, LimitStopsEarly) {
  auto j = GetJson("/v2/historical/265598/relative?period=last_hour&limit=2");
  EXPECT_EQ(Sequences(j["messages"]), (std::vector<std::uint64_t>{5, 15}));
  EXPECT_EQ(j["count"], 2);
}

TEST_F(HistoricalTest, NdjsonAndCsvFormats) {
  auto nd = Client()->Get("/v2/historical/265598/relative?period=last_hour&format=ndjson&tick_types=bid_ask,last");
  ASSERT_TRUE(nd);
  EXPECT_EQ(nd->status, 200);
  EXPECT_EQ(nd->get_header_value("Content-Type"), "application/x-ndjson");
  std::istringstream lines(nd->body);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << line;
    EXPECT_EQ(j["type"], "tick");
    ++n;
  }
  EXPECT_EQ(n, 7);

  auto csv = Client()->Get("/v2/historical/265598/relative?period=last_hour&format=csv&tick_type=last");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_NE(csv->get_header_value("Content-Type").find("text/csv"), std::string::npos);
  EXPECT_EQ(csv->body.rfind("timestamp,contract_id,tick_type,price,size,", 0), 0u) << csv->body;
  EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), 3);  // header + 2 trades
}

TEST_F(HistoricalTest, ProtobufFramesParseAsStreamMessages) {
  auto res = Client()->Get("/v2/historical/265598/relative?period=last_hour&format=protobuf&tick_types=bid_ask,last");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/x-protobuf");
  const std::string& b = res->body;
  std::vector<std::uint64_t> seqs;
  std::size_t pos = 0;
  while (pos < b.size()) {
    ASSERT_LE(pos + 4, b.size());
    const std::uint32_t len = (static_cast<std::uint8_t>(b[pos]) << 24) | (static_cast<std::uint8_t>(b[pos + 1]) << 16) |
                              (static_cast<std::uint8_t>(b[pos + 2]) << 8) | static_cast<std::uint8_t>(b[pos + 3]);
    pos += 4;
    ASSERT_LE(pos + len, b.size());
    ib_stream::StreamMessage m;
    ASSERT_TRUE(m.ParseFromString(b.substr(pos, len)));
    pos += len;
    EXPECT_EQ(m.type(), "tick");
    ASSERT_TRUE(m.has_tick_data());
    EXPECT_EQ(m.tick_data().contract_id(), kAapl);
    seqs.push_back(m.tick_data().sequence());
  }
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{5, 1010, 15, 25, 1030, 35, 45}));
}

TEST_F(HistoricalTest, BadParametersAre400QuotingTheInput) {
  ExpectBad("/v2/historical/abc/relative", "'abc'");
  ExpectBad("/v2/historical/0/relative", "'0'");
  ExpectBad("/v2/historical/4294967296/relative", "'4294967296'");
  ExpectBad("/v2/historical/265598/relative?tick_type=quotes", "'quotes'");
  ExpectBad("/v2/historical/265598/relative?tick_types=bid_ask,nope", "'bid_ask,nope'");
  ExpectBad("/v2/historical/265598/relative?tick_type=last&tick_types=last", "not both");
  ExpectBad("/v2/historical/265598/relative?format=xml", "'xml'");
  ExpectBad("/v2/historical/265598/relative?limit=-3", "'-3'");
  ExpectBad("/v2/historical/265598/range?start_time=yesterday&end_time=2025-03-10T15:00:00Z", "'yesterday'");
  ExpectBad("/v2/historical/265598/range?end_time=2025-03-10T15:00:00Z", "start_time is required");
  ExpectBad("/v2/historical/265598/range?start_time=2025-03-10T15:00:00Z&end_time=2025-03-10T14:00:00Z",
            "is not before");
  ExpectBad("/v2/historical/265598/to-present", "start_time is required");
  ExpectBad("/v2/historical/265598/session?market=XX", "'XX'");
  ExpectBad("/v2/historical/265598/session?session_type=lunch", "'lunch'");
  ExpectBad("/v2/historical/265598/session?date=10/03/2025", "'10/03/2025'");
}

TEST_F(HistoricalTest, UnknownContractIs404ButStoredOrTrackedOnesAnswer) {
  auto unknown = GetJson("/v2/historical/999999/relative", 404);
  EXPECT_NE(unknown["error"].get<std::string>().find("999999"), std::string::npos);
  auto loose = GetJson("/v2/historical/12345/relative");  // files, not tracked
  EXPECT_EQ(loose["tracked"], false);
  EXPECT_EQ(loose["count"], 1);
  auto mnq = GetJson("/v2/historical/711280073/relative");  // tracked, no files
  EXPECT_EQ(mnq["tracked"], true);
  EXPECT_EQ(mnq["count"], 0);
  EXPECT_EQ(mnq["messages"], nlohmann::json::array());
}

class LargeHistoricalTest : public HttpServerTest {};

TEST_F(LargeHistoricalTest, TwoHundredThousandTicksStreamChunkedAndParseBackExactly) {
  constexpr int kTicks = 200000;
  const TimeUs start = T("2025-03-10T12:00:00Z");
  std::vector<Tick> ticks;
  ticks.reserve(kTicks);
  for (int i = 0; i < kTicks; ++i) ticks.push_back(Quote(kAapl, start + static_cast<TimeUs>(i) * 50000, i));  // 20/s
  ticks = store_.Add(std::move(ticks));
  StartServer();

  std::size_t chunks = 0;
  std::string body;
  auto res = Client()->Get("/v2/historical/265598/range?start_time=2025-03-10T12:00:00Z&end_time=2025-03-10T15:00:00Z"
                           "&format=ndjson",
                           [&](const char* d, std::size_t n) {
                             ++chunks;
                             body.append(d, n);
                             return true;
                           });
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Transfer-Encoding"), "chunked");
  EXPECT_FALSE(res->has_header("Content-Length"));
  EXPECT_GT(chunks, 10u);

  std::istringstream lines(body);
  std::string line;
  int i = 0;
  while (std::getline(lines, line)) {
    ASSERT_LT(i, kTicks);
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << "line " << i;
    ASSERT_EQ(j["data"]["sequence"].get<int>(), i);
    ASSERT_EQ(j["data"]["bid_price"].get<double>(), *ticks[i].bid_price) << i;
    ASSERT_EQ(j["timestamp"].get<std::string>(), FormatIsoTimestamp(ticks[i].timestamp_us)) << i;
    ++i;
  }
  EXPECT_EQ(i, kTicks);

  // The JSON form of the same range is one document with the right count.
  auto json = Client()->Get(
      "/v2/historical/265598/range?start_time=2025-03-10T12:00:00Z&end_time=2025-03-10T15:00:00Z");
  ASSERT_TRUE(json);
  auto doc = nlohmann::json::parse(json->body, nullptr, false);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["count"], kTicks);
  EXPECT_EQ(doc["messages"].size(), static_cast<std::size_t>(kTicks));
}

}  // namespace
}  // namespace ibr::http::testing
