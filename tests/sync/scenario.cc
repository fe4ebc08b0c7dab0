#include "scenario.h"

#include "common/clock.h"
#include "common/time_text.h"

namespace ibr::sync::testing {

namespace {

// A session of `cat` collecting both contracts (MNQ and AAPL, bid_ask and last).
std::int64_t SessionOfBoth(TestCatalog& cat, const std::string& start, const std::string& end,
                           const std::string& reason) {
  auto s = cat.AddSession(start, end, "completed", "run", reason);
  cat.AddSessionContract(s, 711280073, "MNQ");
  cat.AddSessionContract(s, 265598, "AAPL");
  return s;
}

}  // namespace

Scenario MakeScenario(const std::string& dir) {
  Scenario s;
  const std::vector<std::string> both{"bid_ask", "last"};

  s.blue = TestCatalog::Create(dir + "/blue", {"production-collector1-blue", "collector1", 8002});
  TestCatalog& blue = *s.blue;
  auto b1 = SessionOfBoth(blue, "2025-03-10T13:00:00Z", "2025-03-10T15:00:00Z",
                          "stopped for blue-green handoff to production-collector1-green");
  blue.AddOutage(b1, 711280073, std::string("last"), "2025-03-10T13:30:00Z", std::string("2025-03-10T13:40:00Z"),
                 "error:10197");
  blue.AddHourlyFiles(711280073, "2025-03-10T13:00:00Z", 2, both);
  blue.AddHourlyFiles(265598, "2025-03-10T13:00:00Z", 2, both);
  auto b2 = blue.AddSession("2025-01-10T14:30:00Z", std::string("2025-01-10T21:00:00Z"), "completed", "ingest",
                            "ingest of aapl-2025-01-10.ndjson");
  blue.AddSessionContract(b2, 265598, "AAPL", "[\"bid_ask\"]");
  blue.AddHourlyFiles(265598, "2025-01-10T14:00:00Z", 7, {"bid_ask"}, 45000, "2025-01-10T14:30:00Z");
  blue.AddContract(711280073, "MNQ", "2025-03-10T13:00:00.250000Z", "2025-03-10T14:59:59.250000Z");
  blue.AddContract(265598, "AAPL", "2025-01-10T14:00:00.250000Z", "2025-03-10T14:59:59.250000Z");

  s.green = TestCatalog::Create(dir + "/green", {"production-collector1-green", "collector1", 8002});
  TestCatalog& green = *s.green;
  auto g1 = SessionOfBoth(green, "2025-03-10T14:50:00Z", "2025-03-10T18:00:00Z", "clean stop");
  green.AddOutage(g1, 711280073, std::nullopt, "2025-03-10T16:00:00Z", std::string("2025-03-10T16:20:00Z"),
                  "disconnect");
  green.AddHourlyFiles(711280073, "2025-03-10T14:00:00Z", 4, both, 60000, "2025-03-10T14:50:00Z");
  green.AddHourlyFiles(265598, "2025-03-10T14:00:00Z", 4, both, 60000, "2025-03-10T14:50:00Z");
  green.AddContract(711280073, "MNQ", "2025-03-10T14:50:00.250000Z", "2025-03-10T17:59:59.250000Z");
  green.AddContract(265598, "AAPL", "2025-03-10T14:50:00.250000Z", "2025-03-10T17:59:59.250000Z");
  green.AddMigration("preparation", "completed", "production-collector1-blue", "production-collector1-green",
                     "2025-03-10T14:40:00Z", std::string("2025-03-10T14:50:00Z"), "{\"target_healthy\":true}");
  green.AddMigration("handoff", "completed", "production-collector1-blue", "production-collector1-green",
                     "2025-03-10T14:50:00Z", std::string("2025-03-10T15:00:00Z"),
                     "{\"continuity\":\"ok\",\"overlap_seconds\":600,\"ticks_compared\":120000,\"mismatches\":0}");
  green.AddMigration("validation", "completed", "production-collector1-blue", "production-collector1-green",
                     "2025-03-10T15:00:00Z", std::string("2025-03-10T15:05:00Z"),
                     "{\"gaps_found\":0,\"checked_contracts\":[711280073,265598]}");
  green.Exec("INSERT INTO reject_counts (collection_session_id, reason, count, updated_at) VALUES "
             "(1, 'bad_json', 3, '2025-03-10T18:00:00Z'), (1, 'unknown_tick_type', 1, '2025-03-10T18:00:00Z')");
  green.Exec("INSERT INTO stream_events (collection_session_id, stream_id, contract_id, tick_type, event_type, "
             "event_time, code, raw_message, created_at) VALUES "
             "(1, '711280073_bid_ask_1741618200000_1', 711280073, 'bid_ask', 'disconnect', '2025-03-10T16:00:00Z', "
             "NULL, NULL, '2025-03-10T16:00:00Z'), "
             "(1, '711280073_bid_ask_1741619400000_2', 711280073, 'bid_ask', 'info', '2025-03-10T16:20:00Z', "
             "'subscribed', '{\"type\":\"info\",\"data\":{\"status\":\"subscribed\"}}', '2025-03-10T16:20:00Z')");

  s.collector2 = TestCatalog::Create(dir + "/collector2", {"production-collector2", "collector2", 8002});
  TestCatalog& c2 = *s.collector2;
  auto c1 = c2.AddSession("2025-03-10T18:30:00Z", std::string("2025-03-10T19:45:12.500000Z"), "failed", "run",
                          "found active at the next start: ended at the last durable tick");
  c2.AddSessionContract(c1, 711280073, "MNQ", "[\"bid_ask\"]");
  c2.AddHourlyFiles(711280073, "2025-03-10T18:00:00Z", 2, {"bid_ask"}, 60000, "2025-03-10T18:30:00Z",
                    "2025-03-10T19:45:12.500000Z");
  auto c2s = c2.AddSession("2025-07-11T13:00:00Z", std::string("2025-07-11T21:00:00Z"), "completed");
  c2.AddSessionContract(c2s, 711280073, "MNQ", "[\"bid_ask\"]");
  c2.AddHourlyFiles(711280073, "2025-07-11T13:00:00Z", 8, {"bid_ask"});
  const TimeUs now = SystemClock::Instance().Now();
  auto c3 = c2.AddSession(FormatIsoTimestamp(now - 2 * kUsPerHour), std::nullopt, "active");
  c2.AddSessionContract(c3, 711280073, "MNQ", "[\"bid_ask\"]");
  c2.AddHourlyFiles(711280073, FormatIsoTimestamp(HourBucket(now - 2 * kUsPerHour)), 3, {"bid_ask"}, 60000,
                    FormatIsoTimestamp(now - 2 * kUsPerHour), FormatIsoTimestamp(now));
  c2.AddContract(711280073, "MNQ", "2025-03-10T18:30:00.250000Z", FormatIsoTimestamp(now));
  return s;
}

}  // namespace ibr::sync::testing
