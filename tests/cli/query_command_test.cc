// `ib-recorder query` logic: option validation (exit 2 quoting the input),
// no catalog, range forms, formats, exit 0 for zero ticks.
#include "cli/query_command.h"

#include <gtest/gtest.h>
#include <stdio.h>

#include <cstdlib>

#include "query/query_test_util.h"
#include "query/test_store.h"

namespace ibr::cli {
namespace {

using query::testing::BidAsk;
using query::testing::Last;
using query::testing::T;
using query::testing::TestStore;

struct Output {
  int code = -1;
  std::string out, err;
};

Output RunCommand(const QueryOptions& o, TimeUs now) {
  char* out_buf = nullptr;
  char* err_buf = nullptr;
  size_t out_len = 0, err_len = 0;
  FILE* out = open_memstream(&out_buf, &out_len);
  FILE* err = open_memstream(&err_buf, &err_len);
  ManualClock clock(now);
  Output r;
  r.code = RunQuery(o, clock, out, err);
  std::fclose(out);
  std::fclose(err);
  r.out.assign(out_buf, out_len);
  r.err.assign(err_buf, err_len);
  std::free(out_buf);
  std::free(err_buf);
  return r;
}

class QueryCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Thursday, Friday and Monday regular sessions around the 2025 US DST change.
    store_.Write(TickType::kBidAsk, T("2025-03-06T15:00:00Z"), 1, {BidAsk(T("2025-03-06T15:00:01Z"), 1)}, true);
    store_.Write(TickType::kBidAsk, T("2025-03-07T15:00:00Z"), 1, {BidAsk(T("2025-03-07T15:00:01Z"), 2)}, true);
    store_.Write(TickType::kLast, T("2025-03-07T15:00:00Z"), 1, {Last(T("2025-03-07T15:00:01Z"), 3)}, true);
    store_.Write(TickType::kBidAsk, T("2025-03-10T14:00:00Z"), 1,
                 {BidAsk(T("2025-03-10T14:00:00.285Z"), 4), BidAsk(T("2025-03-10T14:30:00Z"), 5)}, false);
  }
  QueryOptions Options() {
    QueryOptions o;
    o.storage = store_.root();
    o.contract = "265598";
    return o;
  }
  TestStore store_;
};

TEST_F(QueryCommandTest, StartEndAsNdjson) {
  auto o = Options();
  o.start = "2025-03-10T14:00:00Z";
  o.end = "2025-03-10T14:30:00Z";
  auto r = RunCommand(o, T("2025-03-10T15:00:00Z"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            R"({"type":"tick","stream_id":"bg_265598_bid_ask","timestamp":"2025-03-10T14:00:00.285000Z",)"
            R"("data":{"contract_id":265598,"tick_type":"bid_ask","bid_price":229.95,"bid_size":8.0,)"
            R"("ask_price":229.97,"ask_size":3.0}})" "\n");
}

TEST_F(QueryCommandTest, PreviousSessionsOnMondayBeforeTheOpen) {
  auto o = Options();
  o.previous_sessions = "2";
  o.tick_types = "bid_ask,last";
  o.format = "csv";
  auto r = RunCommand(o, T("2025-03-10T12:00:00Z"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "timestamp,contract_id,tick_type,price,size,bid_price,bid_size,ask_price,ask_size,mid_price,exchange,"
            "conditions,sequence,unix_time,stream_id,past_limit,unreported,bid_past_low,ask_past_high\n"
            "2025-03-06T15:00:01.000000Z,265598,bid_ask,,,229.95,8.0,229.97,3.0,,,,,,bg_265598_bid_ask,,,,\n"
            "2025-03-07T15:00:01.000000Z,265598,bid_ask,,,229.95,8.0,229.97,3.0,,,,,,bg_265598_bid_ask,,,,\n"
            "2025-03-07T15:00:01.000000Z,265598,last,230.0,100.0,,,,,,NASDAQ,,,,bg_265598_last,,,,\n");
}

TEST_F(QueryCommandTest, SinceOpenLastAndLimit) {
  auto o = Options();
  o.since_open = true;
  auto r = RunCommand(o, T("2025-03-10T15:00:00Z"));  // open 13:30Z
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2);

  o = Options();
  o.last = "1h";
  o.limit = "1";
  r = RunCommand(o, T("2025-03-10T15:00:00Z"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);
}

TEST_F(QueryCommandTest, ZeroTicksIsSuccess) {
  auto o = Options();
  o.session = "regular";
  o.date = "2025-03-08";
  o.format = "json";
  auto r = RunCommand(o, T("2025-03-10T15:00:00Z"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, R"({"contract_id":265598,"tick_types":["bid_ask"],"start_time":"2025-03-08T14:30:00.000000Z",)"
                   R"("end_time":"2025-03-08T21:00:00.000000Z","messages":[],"count":0})" "\n");
}

TEST_F(QueryCommandTest, NoCatalogIsAUsageError) {
  auto o = Options();
  o.storage = store_.root() + "/elsewhere";
  o.today = true;
  auto r = RunCommand(o, T("2025-03-10T15:00:00Z"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no catalog at " + store_.root() + "/elsewhere/metadata/catalog.sqlite: is --storage right?"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(QueryCommandTest, BadInputExitsTwoQuotingIt) {
  struct Case {
    void (*set)(QueryOptions&);
    std::string expected;
  };
  const Case cases[] = {
      {[](QueryOptions&) {}, "give a time range"},
      {[](QueryOptions& o) { o.today = true; o.last = "2h"; }, "got --last, --today"},
      {[](QueryOptions& o) { o.today = true; o.contract = "12x"; }, "'12x'"},
      {[](QueryOptions& o) { o.today = true; o.contract = "0"; }, "'0'"},
      {[](QueryOptions& o) { o.last = "2x"; }, "'2x'"},
      {[](QueryOptions& o) { o.start = "yesterday"; }, "'yesterday'"},
      {[](QueryOptions& o) { o.start = "2025-03-11"; o.end = "2025-03-10"; }, "is not before end"},
      {[](QueryOptions& o) { o.end = "2025-03-10"; }, "--end needs --start"},
      {[](QueryOptions& o) { o.today = true; o.market = "UK"; }, "--market applies only"},
      {[](QueryOptions& o) { o.since_open = true; o.market = "EU"; }, "'EU'"},
      {[](QueryOptions& o) { o.session = "lunch"; }, "'lunch'"},
      {[](QueryOptions& o) { o.session = "regular"; o.date = "2025-02-30"; }, "'2025-02-30'"},
      {[](QueryOptions& o) { o.previous_sessions = "zero"; }, "'zero'"},
      {[](QueryOptions& o) { o.previous_sessions = "2"; o.session_type = "morning"; }, "'morning'"},
      {[](QueryOptions& o) { o.today = true; o.format = "xml"; }, "'xml'"},
      {[](QueryOptions& o) { o.today = true; o.tick_types = "bid,ask"; }, "'bid,ask'"},
      {[](QueryOptions& o) { o.today = true; o.limit = "-1"; }, "'-1'"},
      // --federated options: checked before any connection
      {[](QueryOptions& o) { o.today = true; o.dsn = "host=db"; }, "--dsn applies only to --federated"},
      {[](QueryOptions& o) { o.today = true; o.api_key = "k"; }, "--api-key applies only to --federated"},
      {[](QueryOptions& o) { o.today = true; o.read_via = "http"; }, "--read-via applies only to --federated"},
      {[](QueryOptions& o) { o.today = o.federated = true; }, "--storage does not apply to --federated"},
      {[](QueryOptions& o) { o.today = o.federated = true; o.storage.clear(); o.read_via = "nfs"; },
       "--read-via: invalid value 'nfs'"},
      {[](QueryOptions& o) { o.today = o.federated = true; o.storage.clear(); o.contract = "x"; }, "'x'"},
  };
  for (const auto& c : cases) {
    auto o = Options();
    c.set(o);
    auto r = RunCommand(o, T("2025-03-10T15:00:00Z"));
    EXPECT_EQ(r.code, 2) << c.expected;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
}

TEST_F(QueryCommandTest, FederatedWithAnUnreachableDatabaseExitsOneWithoutOutput) {
  auto o = Options();
  o.storage.clear();
  o.federated = true;
  o.dsn = "host=127.0.0.1 port=1 dbname=central user=reader password=s3cret connect_timeout=2";
  o.start = "2025-03-10T14:00:00Z";
  o.format = "csv";
  auto r = RunCommand(o, T("2025-03-10T15:00:00Z"));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("cannot reach the central database"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("s3cret"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace ibr::cli
