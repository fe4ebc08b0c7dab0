// Buffer endpoints over real files: /info, /stats, /range in the UPSTREAM.md
// shapes and defaults (tick_types bid_ask,last; duration = the contract's
// buffer_hours), tracked:false for stored-but-untracked contracts, 404 for
// unknown ones, 400s quoting the input.
#include "http/buffer_endpoints.h"

#include "http_test_support.h"

namespace ibr::http::testing {
namespace {

class BufferTest : public HttpServerTest {
 protected:
  void SetUp() override {
    // now = 15:00. AAPL (buffer 2 h): quotes at 12:30, 13:30, 14:10, 14:40; a trade at 14:50.
    store_.Add({Quote(kAapl, T("2025-03-10T12:30:00Z"), 1), Quote(kAapl, T("2025-03-10T13:30:00Z"), 2),
                Quote(kAapl, T("2025-03-10T14:10:00Z"), 3), Quote(kAapl, T("2025-03-10T14:40:00Z"), 4),
                Trade(kAapl, T("2025-03-10T14:50:00Z"), 5)});
    store_.Add(Quote(kLoose, T("2025-03-10T14:30:00Z"), 9));
    StartServer();
  }
};

TEST(TimedeltaTextTest, PythonsForm) {
  EXPECT_EQ(TimedeltaText(0), "0:00:00");
  EXPECT_EQ(TimedeltaText((2 * 3600 + 15 * 60 + 30) * kUsPerSecond + 123), "2:15:30");
  EXPECT_EQ(TimedeltaText((86400 + 5) * kUsPerSecond), "1 day, 0:00:05");
  EXPECT_EQ(TimedeltaText(3 * kUsPerDay), "3 days, 0:00:00");
}

TEST_F(BufferTest, InfoDescribesTheBuffer) {
  auto j = GetJson("/v2/buffer/265598/info");
  EXPECT_EQ(j["contract_id"], kAapl);
  EXPECT_EQ(j["tick_types"], nlohmann::json({"bid_ask", "last"}));
  EXPECT_EQ(j["tracked"], true);
  EXPECT_EQ(j["configured_buffer_hours"], 2);
  EXPECT_EQ(j["latest_tick_time"], "2025-03-10T14:50:00.000000Z");
  EXPECT_EQ(j["available_duration"], "1:20:00");  // 13:30 (oldest in the 2 h buffer) to 14:50
  auto h = j["buffer_stats_1h"];
  EXPECT_EQ(h["message_count"], 3);
  EXPECT_EQ(h["tick_type_counts"], nlohmann::json({{"bid_ask", 2}, {"last", 1}}));
  EXPECT_EQ(h["time_range"]["start"], "2025-03-10T14:10:00.000000Z");
  EXPECT_EQ(h["time_range"]["end"], "2025-03-10T14:50:00.000000Z");
  EXPECT_EQ(h["duration_available"], "0:40:00");
  EXPECT_EQ(j["timestamp"], "2025-03-10T15:00:00.000000Z");
}

TEST_F(BufferTest, StatsCountOverTheDurationDefaultingToBufferHours) {
  auto j = GetJson("/v2/buffer/265598/stats?tick_types=bid_ask&duration=30m");
  EXPECT_EQ(j["contract_id"], kAapl);
  auto s = j["statistics"];
  EXPECT_EQ(s["message_count"], 1);
  EXPECT_EQ(s["tick_type_counts"], nlohmann::json({{"bid_ask", 1}}));
  EXPECT_EQ(s["tick_types"], nlohmann::json({"bid_ask"}));
  EXPECT_EQ(s["duration_requested"], "30m");
  EXPECT_EQ(s["time_range"]["start"], "2025-03-10T14:40:00.000000Z");

  auto d = GetJson("/v2/buffer/265598/stats");  // 2 h, both types
  EXPECT_EQ(d["statistics"]["message_count"], 4);
  EXPECT_EQ(d["statistics"]["duration_requested"], "2h");
  EXPECT_EQ(d["statistics"]["duration_available"], "1:20:00");
}

TEST_F(BufferTest, RangeListsMessagesWithRequestedAndActualRanges) {
  auto j = GetJson("/v2/buffer/265598/range?duration=1h");
  EXPECT_EQ(j["requested_range"]["start_time"], "2025-03-10T14:00:00.000000Z");
  EXPECT_EQ(j["requested_range"]["end_time"], "2025-03-10T15:00:00.000000Z");
  EXPECT_EQ(j["requested_range"]["duration_seconds"], 3600.0);
  EXPECT_EQ(j["messages"].size(), 3u);
  EXPECT_EQ(j["actual_range"]["start_time"], "2025-03-10T14:10:00.000000Z");
  EXPECT_EQ(j["actual_range"]["end_time"], "2025-03-10T14:50:00.000000Z");
  EXPECT_EQ(j["actual_range"]["message_count"], 3);
  EXPECT_TRUE(j["timestamp"].is_string());

  auto abs = GetJson("/v2/buffer/265598/range?start_time=2025-03-10T12:00:00Z&end_time=2025-03-10T14:00:00Z");
  EXPECT_EQ(abs["actual_range"]["message_count"], 2);
  auto lim = GetJson("/v2/buffer/265598/range?limit=1");  // default duration: 2 h
  EXPECT_EQ(lim["messages"].size(), 1u);
  EXPECT_EQ(lim["messages"][0]["data"]["sequence"], 2);
  auto none = GetJson("/v2/buffer/265598/range?start_time=2025-03-09T00:00:00Z&end_time=2025-03-09T01:00:00Z");
  EXPECT_EQ(none["actual_range"]["start_time"], nullptr);
  EXPECT_EQ(none["actual_range"]["message_count"], 0);
}

TEST_F(BufferTest, UntrackedWithFilesAnswersTrackedFalseAndUnknownIs404) {
  auto loose = GetJson("/v2/buffer/12345/info");
  EXPECT_EQ(loose["tracked"], false);
  EXPECT_EQ(loose["configured_buffer_hours"], nullptr);
  EXPECT_EQ(loose["buffer_stats_1h"]["message_count"], 1);
  auto mnq = GetJson("/v2/buffer/711280073/stats");
  EXPECT_EQ(mnq["statistics"]["message_count"], 0);
  EXPECT_EQ(mnq["statistics"]["time_range"]["start"], nullptr);
  for (const char* path : {"/v2/buffer/999999/info", "/v2/buffer/999999/stats", "/v2/buffer/999999/range"}) {
    auto j = GetJson(path, 404);
    EXPECT_NE(j["error"].get<std::string>().find("999999"), std::string::npos);
  }
}

TEST_F(BufferTest, BadParametersAre400QuotingTheInput) {
  struct Case {
    const char* path;
    const char* quoted;
  };
  for (const Case& c : std::vector<Case>{{"/v2/buffer/x1/info", "'x1'"},
                                          {"/v2/buffer/265598/stats?duration=forever", "'forever'"},
                                          {"/v2/buffer/265598/stats?duration=1h1h", "'1h1h'"},
                                          {"/v2/buffer/265598/info?tick_types=ticks", "'ticks'"},
                                          {"/v2/buffer/265598/range?start_time=noon", "'noon'"},
                                          {"/v2/buffer/265598/range?limit=zero", "'zero'"},
                                          {"/v2/buffer/265598/range?start_time=2025-03-10T14:00:00Z&duration=1h",
                                           "not both"},
                                          {"/v2/buffer/265598/range?start_time=2025-03-10T16:00:00Z",
                                           "end_time defaults to now"}}) {
    auto j = GetJson(c.path, 400);
    EXPECT_NE(j["error"].get<std::string>().find(c.quoted), std::string::npos) << c.path << ": " << j.dump();
  }
}

}  // namespace
}  // namespace ibr::http::testing
