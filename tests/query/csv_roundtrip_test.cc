// CSV output read back by a real CSV parser (/usr/bin/python3's csv module):
// every field in its own column, text with , " CR LF and condition lists with
// ; , and quotes come back exactly (issue 10 item 13).
#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "query/tick_encoder.h"
#include "query_test_util.h"

namespace ibr::query {
namespace {

using testing::BidAsk;
using testing::Last;
using testing::T;

// Python: the CSV file -> a JSON list of row dicts (conditions decoded from its JSON cell).
constexpr const char* kReadBack = R"PY(
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f, strict=True))
for r in rows:
    r["conditions"] = json.loads(r["conditions"]) if r["conditions"] else []
print(json.dumps(rows))
)PY";

std::string CsvOf(const std::vector<Tick>& ticks) {
  std::string bytes;
  OutputBuffer buffer([&](std::string_view c) {
    bytes.append(c);
    return Status::Ok();
  });
  auto enc = MakeCsvEncoder(buffer, {});
  EXPECT_TRUE(enc->Begin(QueryDescription{}).ok());
  for (const Tick& t : ticks) EXPECT_TRUE(enc->OnTick(t, {}).ok());
  EXPECT_TRUE(enc->Finish().ok());
  return bytes;
}

nlohmann::json ReadWithPython(const std::string& csv) {
  char dir[] = "/tmp/ibr-csv-XXXXXX";
  EXPECT_NE(::mkdtemp(dir), nullptr);
  const std::string csv_path = std::string(dir) + "/out.csv", py_path = std::string(dir) + "/read.py";
  std::ofstream(csv_path, std::ios::binary) << csv;
  std::ofstream(py_path) << kReadBack;
  FILE* p = ::popen(("/usr/bin/python3 " + py_path + " " + csv_path).c_str(), "r");
  EXPECT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  for (std::size_t n; p && (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int rc = p ? ::pclose(p) : -1;
  std::filesystem::remove_all(dir);
  EXPECT_EQ(rc, 0) << "python could not read the CSV:\n" << csv;
  return nlohmann::json::parse(out, nullptr, false);
}

TEST(CsvRoundTripTest, PythonCsvModuleReadsEveryFieldBack) {
  Tick a = BidAsk(T("2025-03-10T14:00:00.285Z"), 1);
  a.sequence = 18446744073709551615ull;
  a.unix_time = 1741615200;
  a.bid_past_low = true;
  a.ask_past_high = false;
  Tick b = Last(T("2025-03-10T14:00:01Z"), 2, 230.5);
  b.stream_id = "id,with \"quotes\"";
  b.exchange = "NY,\"SE\"\r\nline";
  b.conditions = {"T", "I,x", "a;b", "q\"uote", "[\"]", "", "new\nline"};
  b.past_limit = false;
  b.unreported = true;
  Tick c = Last(T("2025-03-10T14:00:02Z"), 3, 230.25);
  c.exchange.reset();
  c.stream_id.clear();
  c.conditions = {std::string("nul\0inside", 10)};
  const std::vector<Tick> ticks = {a, b, c};

  nlohmann::json rows = ReadWithPython(CsvOf(ticks));
  ASSERT_TRUE(rows.is_array()) << rows;
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& r : rows) EXPECT_EQ(r.size(), 19u) << r;  // one column per field, no spill-over

  EXPECT_EQ(rows[0]["timestamp"], "2025-03-10T14:00:00.285000Z");
  EXPECT_EQ(rows[0]["contract_id"], "265598");
  EXPECT_EQ(rows[0]["tick_type"], "bid_ask");
  EXPECT_EQ(rows[0]["bid_price"], "229.95");
  EXPECT_EQ(rows[0]["price"], "");
  EXPECT_EQ(rows[0]["sequence"], "18446744073709551615");
  EXPECT_EQ(rows[0]["unix_time"], "1741615200");
  EXPECT_EQ(rows[0]["stream_id"], "bg_265598_bid_ask");
  EXPECT_EQ(rows[0]["bid_past_low"], "true");
  EXPECT_EQ(rows[0]["ask_past_high"], "false");
  EXPECT_EQ(rows[0]["past_limit"], "");
  EXPECT_EQ(rows[0]["conditions"], nlohmann::json::array());

  EXPECT_EQ(rows[1]["stream_id"], b.stream_id);
  EXPECT_EQ(rows[1]["exchange"], *b.exchange);
  EXPECT_EQ(rows[1]["conditions"], nlohmann::json(b.conditions));
  EXPECT_EQ(rows[1]["past_limit"], "false");
  EXPECT_EQ(rows[1]["unreported"], "true");

  EXPECT_EQ(rows[2]["exchange"], "");
  EXPECT_EQ(rows[2]["stream_id"], "");
  EXPECT_EQ(rows[2]["conditions"], nlohmann::json(c.conditions));  // the NUL survives as \u0000
}

}  // namespace
}  // namespace ibr::query
