// ImportLegacyTree on synthetic ib-stream trees, one per layout (with the
// known damage: torn records, contract id 0, mid_point without a value,
// unknown types), a mixed tree, JSON/protobuf twins, re-runs, the session.
#include "legacy/legacy_import.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "legacy_test_util.h"
#include "support/fault_injecting_file_system.h"

namespace ibr::legacy {
namespace {

using namespace ibr::legacy_testing;

const TimeUs kImportNow = AtIso("2026-01-05T12:00:00Z");
constexpr std::uint32_t kMnq = 711280073;

class LegacyImportTest : public ::testing::Test {
 protected:
  LegacyImportTest() : clock_(kImportNow) {}

  void SetUp() override {
    tree_ = dir_.path() + "/ib-stream";
    root_ = dir_.path() + "/store";
    Reopen();
  }
  void Reopen() {
    store_.reset();
    auto s = storage::Store::Open(LegacyStoreOptions(root_), PosixFileSystem::Instance(), clock_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  ImportReport Import(bool force = false) {
    ImportOptions o;
    o.from = tree_;
    o.force = force;
    auto r = ImportLegacyTree(*store_, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : ImportReport{};
  }
  std::vector<Tick> Stored(std::uint32_t cid) {
    return StoredTicks(*store_, cid, AtIso("2025-01-01T00:00:00Z"), AtIso("2026-01-01T00:00:00Z"));
  }
  static std::int64_t Sum(const ImportReport& r) {
    std::int64_t n = r.imported + r.duplicates;
    for (const auto& [reason, c] : r.skipped) n += c;
    return n;
  }

  LegacyTempDir dir_;
  ManualClock clock_;
  std::string tree_, root_;
  std::unique_ptr<storage::Store> store_;
};

const char* const kV2JsonLines[] = {
    // 1: storage-bound bid_ask (ids only in metadata, as strings) -> imported
    R"({"type":"tick","stream_id":"bg_711280073_bid_ask","timestamp":"2025-08-01T01:04:51.911004+00:00","data":{"type":"bid_ask","timestamp":"2025-07-31 20:04:51","unix_time":1754010291,"bid_price":23260.0,"ask_price":23260.5,"bid_size":4.0,"ask_size":2.0,"bid_past_low":false,"ask_past_high":false},"metadata":{"source":"stream_manager","request_id":"60020","contract_id":"711280073","tick_type":"bid_ask"}})",
    // 2: last as the real server spells it, conditions as a string -> imported
    R"({"type":"tick","stream_id":"bg_711280073_last","timestamp":"2025-08-01T01:04:52Z","data":{"contract_id":711280073,"tick_type":"Last","type":"time_sales","unix_time":1754010292,"price":23261.0,"size":10.0,"exchange":"CME","conditions":"","past_limit":false,"unreported":false}})",
    // 3: mid_point with `midpoint` -> imported as mid_price
    R"({"type":"tick","stream_id":"bg_711280073_mid_point","timestamp":"2025-08-01T01:04:53.5+00:00","data":{"contract_id":711280073,"tick_type":"mid_point","type":"midpoint","unix_time":1754010293,"midpoint":23260.25}})",
    // 4: mid_point without a value
    R"({"type":"tick","stream_id":"bg_711280073_mid_point","timestamp":"2025-08-01T01:04:54+00:00","data":{"contract_id":711280073,"tick_type":"mid_point","type":"midpoint","unix_time":1754010294}})",
    // 5: contract id 0 in data
    R"({"type":"tick","stream_id":"0_bid_ask_1_2","timestamp":"2025-08-01T01:04:55+00:00","data":{"contract_id":0,"tick_type":"bid_ask","bid_price":1.0,"ask_price":2.0,"bid_size":1.0,"ask_size":1.0}})",
    // 6: contract id "0" in metadata
    R"({"type":"tick","stream_id":"x","timestamp":"2025-08-01T01:04:56+00:00","data":{"price":1.0,"size":1.0},"metadata":{"contract_id":"0","tick_type":"last"}})",
    // 7: unknown envelope type
    R"({"type":"quote","stream_id":"x","timestamp":"2025-08-01T01:04:57+00:00","data":{}})",
    // 8: unknown tick type
    R"({"type":"tick","stream_id":"x","timestamp":"2025-08-01T01:04:58+00:00","data":{"contract_id":711280073,"tick_type":"time_sales","price":1.0,"size":1.0}})",
    // 9: heartbeat, 10: error (lifecycle: counted, not ticks)
    R"({"type":"heartbeat","stream_id":"x","timestamp":"2025-08-01T01:04:59+00:00","data":{}})",
    R"({"type":"error","stream_id":"bg_711280073_last","timestamp":"2025-08-01T01:05:00+00:00","data":{"code":"STREAM_ERROR","message":"x","recoverable":true}})",
    // 11: not JSON, mid-file
    R"({"type":"tick", not json)",
};

TEST_F(LegacyImportTest, V2JsonEveryRecordAccountedFor) {
  std::string file;
  for (const char* l : kV2JsonLines) file += std::string(l) + "\n";
  file += R"({"type":"tick","stream_id":"bg_7112)";  // 12: torn last line (no newline)
  WriteBytes(tree_ + "/v2/json/2025/08/01/01/bg_711280073_bid_ask.jsonl", file);

  ImportReport r = Import();
  EXPECT_EQ(r.read, 12);
  EXPECT_EQ(r.imported, 3);
  EXPECT_EQ(r.duplicates, 0);
  const std::map<std::string, std::int64_t> want = {
      {"mid_point_without_value", 1}, {"contract_id_zero", 2}, {"unknown_type", 1}, {"unknown_tick_type", 1},
      {"heartbeat", 1},               {"lifecycle_error", 1},  {"bad_json", 1},     {"torn_record", 1}};
  EXPECT_EQ(r.skipped, want);
  EXPECT_EQ(Sum(r), r.read);
  EXPECT_EQ(r.files, (std::map<std::string, std::int64_t>{{"v2_json", 1}}));
  EXPECT_TRUE(r.notes.empty());

  std::vector<Tick> ticks = Stored(kMnq);
  ASSERT_EQ(ticks.size(), 3u);
  EXPECT_EQ(ticks[0].timestamp_us, AtIso("2025-08-01T01:04:51.911004Z"));
  EXPECT_EQ(ticks[0].tick_type, TickType::kBidAsk);
  EXPECT_EQ(ticks[0].stream_id, "bg_711280073_bid_ask");
  EXPECT_EQ(ticks[0].bid_price, 23260.0);
  EXPECT_EQ(ticks[0].ask_price, 23260.5);
  EXPECT_EQ(ticks[0].bid_size, 4.0);
  EXPECT_EQ(ticks[0].ask_size, 2.0);
  EXPECT_EQ(ticks[0].unix_time, 1754010291);
  EXPECT_EQ(ticks[0].bid_past_low, false);
  EXPECT_EQ(ticks[1].tick_type, TickType::kLast);
  EXPECT_EQ(ticks[1].price, 23261.0);
  EXPECT_EQ(ticks[1].size, 10.0);
  EXPECT_EQ(ticks[1].exchange, "CME");
  EXPECT_EQ(ticks[2].tick_type, TickType::kMidPoint);
  EXPECT_EQ(ticks[2].mid_price, 23260.25);
  EXPECT_EQ(ticks[2].timestamp_us, AtIso("2025-08-01T01:04:53.5Z"));

  // The bad records are quarantined, one line each, with their file and reason.
  ASSERT_FALSE(r.quarantine_path.empty());
  auto q = PosixFileSystem::Instance().ReadFile(r.quarantine_path);
  ASSERT_TRUE(q.ok());
  int lines = 0, torn = 0;
  for (std::size_t pos = 0; pos < q->size();) {
    const std::size_t nl = q->find('\n', pos);
    auto j = nlohmann::json::parse(q->substr(pos, nl - pos));
    EXPECT_EQ(j["file"], "v2/json/2025/08/01/01/bg_711280073_bid_ask.jsonl");
    if (j["reason"] == "torn_record") {
      ++torn;
      EXPECT_EQ(j["record"], 12);
    }
    ++lines;
    pos = nl + 1;
  }
  EXPECT_EQ(lines, 7);  // not the heartbeat, the error event or the imported ticks
  EXPECT_EQ(torn, 1);
}

TEST_F(LegacyImportTest, V2ProtobufLittleEndianFrames) {
  const TimeUs t0 = AtIso("2025-08-01T01:00:00.250000Z");
  std::string file;
  file += LittleEndianFrame(V2TickBody("bg_711280073_bid_ask", t0, kMnq, "bid_ask", [](ib_stream::TickData& d) {
    d.set_bid_price(100.25);
    d.set_ask_price(100.5);
    d.set_bid_size(3);
    d.set_ask_size(4);
  }));
  // Storage-bound: ids only in metadata (proto3 cannot tell 0/"" from unset), sequence as a string.
  file += LittleEndianFrame(V2TickBody(
      "bg_711280073_last", t0 + 1000, 0, "",
      [](ib_stream::TickData& d) {
        d.set_price(100.5);
        d.set_size(2);
        d.set_exchange("CME");
      },
      {{"contract_id", "711280073"}, {"tick_type", "last"}, {"sequence", "7"}, {"request_id", "60021"}}));
  file += LittleEndianFrame(V2TickBody("s", t0 + 2000, kMnq, "mid_point", [](ib_stream::TickData&) {}));
  file += LittleEndianFrame(V2TickBody("s", t0 + 3000, 0, "bid_ask", [](ib_stream::TickData& d) {
    d.set_bid_price(1);
    d.set_ask_price(1);
    d.set_bid_size(1);
    d.set_ask_size(1);
  }));
  file += LittleEndianFrame(V2TickBody("s", t0 + 4000, kMnq, "weird", [](ib_stream::TickData&) {}));
  file += LittleEndianFrame(std::string("\xFF\xFF\xFF\xFF\xFF", 5));  // not a StreamMessage
  file += std::string("\x64\x00\x00\x00", 4) + "0123456789";        // says 100 bytes, 10 follow
  WriteBytes(tree_ + "/v2/protobuf/2025/08/01/01/bg_711280073_bid_ask.pb", file);

  ImportReport r = Import();
  EXPECT_EQ(r.read, 7);
  EXPECT_EQ(r.imported, 2);
  const std::map<std::string, std::int64_t> want = {{"mid_point_without_value", 1},
                                                     {"contract_id_zero", 1},
                                                     {"unknown_tick_type", 1},
                                                     {"bad_protobuf", 1},
                                                     {"torn_record", 1}};
  EXPECT_EQ(r.skipped, want);
  EXPECT_EQ(Sum(r), r.read);
  EXPECT_EQ(r.files, (std::map<std::string, std::int64_t>{{"v2_protobuf", 1}}));

  std::vector<Tick> ticks = Stored(kMnq);
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].timestamp_us, t0);
  EXPECT_EQ(ticks[0].bid_price, 100.25);
  EXPECT_EQ(ticks[0].ask_size, 4.0);
  EXPECT_EQ(ticks[1].timestamp_us, t0 + 1000);
  EXPECT_EQ(ticks[1].tick_type, TickType::kLast);
  EXPECT_EQ(ticks[1].price, 100.5);
  EXPECT_EQ(ticks[1].sequence, 7u);
  EXPECT_EQ(ticks[1].stream_id, "bg_711280073_last");
  EXPECT_EQ(ticks[1].exchange, "CME");
}

TEST_F(LegacyImportTest, V3JsonFlatRecords) {
  const std::string file =
      // ts whole seconds: IB's time -> unix_time; timestamp is st.
      R"({"ts":1754010291000000,"st":1754010291904096,"cid":711280073,"tt":"bid_ask","rid":7,"bp":23260.0,"bs":4.0,"ap":23260.5,"as":2.0,"bpl":true})"
      "\n"
      // ts with a fraction: ib-stream's fallback to system time; IB's time unknown.
      R"({"ts":1754010291911017,"st":1754010291911022,"cid":711280073,"tt":"last","rid":8,"p":23261.0,"s":10.0,"upt":true})"
      "\n"
      R"({"ts":1754010292000000,"st":1754010292000100,"cid":711280073,"tt":"mid_point","rid":9,"mp":23260.75})"
      "\n"
      R"({"ts":1754010293000000,"st":1754010293000100,"cid":711280073,"tt":"mid_point","rid":9})"
      "\n"
      R"({"ts":1754010294000000,"st":1754010294000100,"cid":0,"tt":"last","rid":10,"p":1.0,"s":1.0})"
      "\n"
      R"({"ts":1754010295000000,"st":1754010295000100,"cid":711280073,"tt":"foo","rid":11,"p":1.0,"s":1.0})"
      "\n"
      R"({"ts":1754010296000000,"st":1754010296000100,"cid":711280073,"tt":"bid_ask","rid":12,"bp":"x","bs":1.0,"ap":1.0,"as":1.0})"
      "\n"
      R"({"ts":1754010297000000,"st":175401)";  // torn
  WriteBytes(tree_ + "/v3/json/2025/08/01/01/711280073_bid_ask_1754010000.jsonl", file);

  ImportReport r = Import();
  EXPECT_EQ(r.read, 8);
  EXPECT_EQ(r.imported, 3);
  const std::map<std::string, std::int64_t> want = {{"mid_point_without_value", 1},
                                                     {"contract_id_zero", 1},
                                                     {"unknown_tick_type", 1},
                                                     {"not_numeric", 1},
                                                     {"torn_record", 1}};
  EXPECT_EQ(r.skipped, want);
  EXPECT_EQ(Sum(r), r.read);
  EXPECT_EQ(r.files, (std::map<std::string, std::int64_t>{{"v3_json", 1}}));

  std::vector<Tick> ticks = Stored(kMnq);
  ASSERT_EQ(ticks.size(), 3u);
  EXPECT_EQ(ticks[0].timestamp_us, 1754010291904096);
  EXPECT_EQ(ticks[0].unix_time, 1754010291);
  EXPECT_EQ(ticks[0].bid_price, 23260.0);
  EXPECT_EQ(ticks[0].ask_size, 2.0);
  EXPECT_EQ(ticks[0].bid_past_low, true);
  EXPECT_EQ(ticks[0].ask_past_high, std::nullopt);  // absent in v3 means false OR unknown: not guessed
  EXPECT_EQ(ticks[0].stream_id, "");
  EXPECT_EQ(ticks[1].timestamp_us, 1754010291911022);
  EXPECT_EQ(ticks[1].unix_time, std::nullopt);
  EXPECT_EQ(ticks[1].price, 23261.0);
  EXPECT_EQ(ticks[1].unreported, true);
  EXPECT_EQ(ticks[2].mid_price, 23260.75);
}

TEST_F(LegacyImportTest, V3ProtobufBigEndianFrames) {
  std::string file;
  file += BigEndianFrame(V3Body()
                             .Varint(1, 1754010291000000)
                             .Varint(2, 1754010291500000)
                             .Varint(3, kMnq)
                             .String(4, "bid_ask")
                             .Varint(5, 42)
                             .Double(12, 23260.0)
                             .Double(13, 4)
                             .Double(14, 23260.5)
                             .Double(15, 2)
                             .bytes());
  file += BigEndianFrame(V3Body()
                             .Varint(1, 1754010292000000)
                             .Varint(2, 1754010292500000)
                             .Varint(3, kMnq)
                             .String(4, "last")
                             .Double(10, 23261.0)
                             .Double(11, 10)
                             .Varint(22, 1)
                             .bytes());
  file += BigEndianFrame(V3Body().Varint(2, 1754010293500000).Varint(3, kMnq).String(4, "mid_point").bytes());
  file += BigEndianFrame(V3Body().Varint(2, 1754010294500000).String(4, "last").Double(10, 1).Double(11, 1).bytes());
  file += BigEndianFrame(V3Body().Varint(2, 1754010295500000).Varint(3, kMnq).String(4, "tape").bytes());
  file += BigEndianFrame(std::string("\xFF\xFF\xFF\xFF\xFF", 5));  // not a TickMessage
  file += std::string("\x00\x00\x01\x00", 4) + "short";  // says 256 bytes, 5 follow
  WriteBytes(tree_ + "/v3/protobuf/2025/08/01/01/711280073_bid_ask_1754010000.pb", file);

  ImportReport r = Import();
  EXPECT_EQ(r.read, 7);
  EXPECT_EQ(r.imported, 2);
  const std::map<std::string, std::int64_t> want = {{"mid_point_without_value", 1},
                                                     {"contract_id_zero", 1},
                                                     {"unknown_tick_type", 1},
                                                     {"bad_protobuf", 1},
                                                     {"torn_record", 1}};
  EXPECT_EQ(r.skipped, want);
  EXPECT_EQ(Sum(r), r.read);
  EXPECT_EQ(r.files, (std::map<std::string, std::int64_t>{{"v3_protobuf", 1}}));

  std::vector<Tick> ticks = Stored(kMnq);
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].timestamp_us, 1754010291500000);
  EXPECT_EQ(ticks[0].unix_time, 1754010291);
  EXPECT_EQ(ticks[0].bid_price, 23260.0);
  EXPECT_EQ(ticks[0].ask_price, 23260.5);
  EXPECT_EQ(ticks[1].tick_type, TickType::kLast);
  EXPECT_EQ(ticks[1].size, 10.0);
  EXPECT_EQ(ticks[1].unreported, true);
}

// The four layouts side by side in one tree, and a v3 tree whose folder is not named "v3".
TEST_F(LegacyImportTest, MixedTreeLayoutsFromTheBytes) {
  WriteBytes(tree_ + "/v2/json/2025/08/01/01/bg_711280073_last.jsonl",
             R"({"type":"tick","stream_id":"bg_711280073_last","timestamp":"2025-08-01T01:10:00+00:00","data":{"contract_id":711280073,"tick_type":"last","price":1.5,"size":1.0}})"
             "\n");
  WriteBytes(tree_ + "/v2/protobuf/2025/08/01/01/bg_711280073_bid_ask.pb",
             LittleEndianFrame(V2TickBody("bg_711280073_bid_ask", AtIso("2025-08-01T01:11:00Z"), kMnq, "bid_ask",
                                          [](ib_stream::TickData& d) {
                                            d.set_bid_price(1);
                                            d.set_ask_price(2);
                                            d.set_bid_size(1);
                                            d.set_ask_size(1);
                                          })));
  WriteBytes(tree_ + "/storage_v3_copy/json/2025/08/01/01/711280073_last_1754010000.jsonl",
             R"({"ts":1754010660000000,"st":1754010660000001,"cid":711280073,"tt":"last","rid":1,"p":2.5,"s":1.0})"
             "\n");
  WriteBytes(tree_ + "/storage_v3_copy/protobuf/2025/08/01/01/711280073_last_1754010000.pb",
             BigEndianFrame(V3Body()
                                .Varint(1, 1754010720000000)
                                .Varint(2, 1754010720000001)
                                .Varint(3, kMnq)
                                .String(4, "last")
                                .Double(10, 3.5)
                                .Double(11, 1)
                                .bytes()));
  WriteBytes(tree_ + "/README.txt", "not data\n");

  ImportReport r = Import();
  EXPECT_EQ(r.read, 4);
  EXPECT_EQ(r.imported, 4);
  EXPECT_TRUE(r.skipped.empty());
  EXPECT_EQ(r.files, (std::map<std::string, std::int64_t>{
                         {"v2_json", 1}, {"v2_protobuf", 1}, {"v3_json", 1}, {"v3_protobuf", 1}}));
  EXPECT_EQ(r.ignored_files, std::vector<std::string>{"README.txt"});
  ASSERT_EQ(r.notes.size(), 1u);  // v2 and v3 side by side: said, not guessed away
  EXPECT_NE(r.notes[0].find("both v2 and v3"), std::string::npos);
  std::vector<Tick> ticks = Stored(kMnq);
  ASSERT_EQ(ticks.size(), 4u);
  EXPECT_EQ(ticks[3].price, 3.5);
  EXPECT_EQ(ticks[3].timestamp_us, 1754010720000001);
}

// ib-stream wrote every v2 message twice: JSON and protobuf. The protobuf copy
// lost unix_time; the JSON copy (read first) is the one stored.
TEST_F(LegacyImportTest, JsonAndProtobufTwinImportedOnce) {
  std::string json, pb;
  const TimeUs t0 = AtIso("2025-08-01T01:20:00.123456Z");
  for (int i = 0; i < 5; ++i) {
    const TimeUs t = t0 + i * 1000;
    const double bid = 100 + i * 0.25;
    nlohmann::json m = {{"type", "tick"},
                        {"stream_id", "test_stream_0"},
                        {"timestamp", FormatIsoTimestamp(t)},
                        {"data",
                         {{"contract_id", kMnq},
                          {"tick_type", "bid_ask"},
                          {"bid_price", bid},
                          {"bid_size", 100},
                          {"ask_price", bid + 0.25},
                          {"ask_size", 150},
                          {"unix_time", t / kUsPerSecond}}},
                        {"metadata", {{"source", "test_script"}, {"sequence", i}}}};
    json += m.dump() + "\n";
    pb += LittleEndianFrame(V2TickBody(
        "test_stream_0", t, kMnq, "bid_ask",
        [&](ib_stream::TickData& d) {
          d.set_bid_price(bid);
          d.set_bid_size(100);
          d.set_ask_price(bid + 0.25);
          d.set_ask_size(150);
        },
        {{"source", "test_script"}, {"sequence", std::to_string(i)}}));
  }
  WriteBytes(tree_ + "/json/2025/08/01/01/test_stream_0.jsonl", json);
  WriteBytes(tree_ + "/protobuf/2025/08/01/01/test_stream_0.pb", pb);

  ImportReport r = Import();
  EXPECT_EQ(r.read, 10);
  EXPECT_EQ(r.imported, 5);
  EXPECT_EQ(r.duplicates, 5);
  EXPECT_EQ(r.already_stored, 0);
  EXPECT_TRUE(r.skipped.empty());
  std::vector<Tick> ticks = Stored(kMnq);
  ASSERT_EQ(ticks.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(ticks[i].timestamp_us, t0 + i * 1000);
    EXPECT_EQ(ticks[i].sequence, static_cast<std::uint64_t>(i));
    EXPECT_EQ(ticks[i].unix_time, (t0 + i * 1000) / kUsPerSecond) << "the JSON copy was kept";
  }

  // A twin that differs in a value is another tick, not a duplicate.
  pb = LittleEndianFrame(V2TickBody("test_stream_0", t0, kMnq, "bid_ask", [](ib_stream::TickData& d) {
    d.set_bid_price(99);
    d.set_bid_size(100);
    d.set_ask_price(100.25);
    d.set_ask_size(150);
  }));
  WriteBytes(tree_ + "/protobuf/2025/08/01/01/test_stream_0.pb", pb);
  ImportReport again = Import();
  EXPECT_EQ(again.imported, 1);
  EXPECT_EQ(again.duplicates, 5);
  EXPECT_EQ(again.already_stored, 5);
}

TEST_F(LegacyImportTest, RerunRefusedThenForcedImportsNothingNew) {
  WriteBytes(tree_ + "/v3/json/2025/08/01/01/711280073_last_1754010000.jsonl",
             R"({"ts":1754010660000000,"st":1754010660000001,"cid":711280073,"tt":"last","rid":1,"p":2.5,"s":1.0})"
             "\n"
             R"({"ts":1754010661000000,"st":1754010661000001,"cid":711280073,"tt":"last","rid":1,"p":2.75,"s":1.0})"
             "\n");
  ImportReport first = Import();
  EXPECT_EQ(first.imported, 2);

  ImportOptions o;
  o.from = tree_;
  auto refused = ImportLegacyTree(*store_, o);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(refused.status().message().find("--force"), std::string::npos);

  Reopen();  // a new process
  ImportReport forced = Import(/*force=*/true);
  EXPECT_EQ(forced.read, 2);
  EXPECT_EQ(forced.imported, 0);
  EXPECT_EQ(forced.duplicates, 2);
  EXPECT_EQ(forced.already_stored, 2);
  EXPECT_EQ(Stored(kMnq).size(), 2u);

  // The tree grows: only the new tick is imported.
  WriteBytes(tree_ + "/v3/json/2025/08/01/02/711280073_last_1754013600.jsonl",
             R"({"ts":1754013600000000,"st":1754013600000001,"cid":711280073,"tt":"last","rid":1,"p":3.0,"s":1.0})"
             "\n");
  ImportReport grown = Import();
  EXPECT_EQ(grown.read, 3);
  EXPECT_EQ(grown.imported, 1);
  EXPECT_EQ(grown.already_stored, 2);
  EXPECT_EQ(Stored(kMnq).size(), 3u);
}

TEST_F(LegacyImportTest, OneCompletedImportSessionAndSealedHours) {
  WriteBytes(tree_ + "/v3/json/2025/08/01/01/711280073_last_1754010000.jsonl",
             R"({"ts":1754010660000000,"st":1754010660000001,"cid":711280073,"tt":"last","rid":1,"p":2.5,"s":1.0})"
             "\n"
             R"({"ts":1754017200000000,"st":1754017200000002,"cid":711280073,"tt":"last","rid":1,"p":2.75,"s":1.0})"
             "\n");
  ImportReport r = Import();
  ASSERT_EQ(r.imported, 2);
  EXPECT_EQ(r.first_tick, 1754010660000001);
  EXPECT_EQ(r.last_tick, 1754017200000002);
  EXPECT_EQ(r.sealed, 2);  // two hours, both long past the grace period

  auto sessions = store_->catalog().ListSessions();
  ASSERT_TRUE(sessions.ok());
  int imports = 0;
  for (const auto& s : *sessions) {
    if (s.kind != catalog::SessionKind::kImport) continue;
    ++imports;
    EXPECT_EQ(s.id, r.session_id);
    EXPECT_EQ(s.status, catalog::SessionStatus::kCompleted);
    EXPECT_EQ(s.session_start, 1754010660000001);
    EXPECT_EQ(s.session_end, 1754017200000002);
    EXPECT_EQ(s.total_messages_collected, 2);
    ASSERT_TRUE(s.termination_reason.has_value());
    EXPECT_EQ(s.termination_reason->rfind("import of " + tree_, 0), 0u) << *s.termination_reason;
  }
  EXPECT_EQ(imports, 1);
}

TEST_F(LegacyImportTest, NotADirectoryIsAnError) {
  ImportOptions o;
  o.from = dir_.path() + "/missing";
  auto r = ImportLegacyTree(*store_, o);
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace ibr::legacy

namespace ibr::legacy {
namespace {

using namespace ibr::legacy_testing;

std::string V3LastLines(int n, std::int64_t first_st) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    nlohmann::json r = {{"ts", (first_st / kUsPerSecond + i) * kUsPerSecond},
                        {"st", first_st + i * kUsPerSecond},
                        {"cid", 711280073},
                        {"tt", "last"},
                        {"rid", 1},
                        {"p", 100.0 + i},
                        {"s", 1.0}};
    out += r.dump() + "\n";
  }
  return out;
}

// Disk full midway: the import says it stopped storing and does not record
// the tree, so the next run is not refused and stores the rest, nothing twice.
TEST(LegacyImportFaultTest, DiskFullMidwayThenRerunCompletesWithoutDuplicates) {
  LegacyTempDir dir;
  ManualClock clock(AtIso("2026-01-05T12:00:00Z"));
  const std::string tree = dir.path() + "/tree";
  for (int h = 0; h < 4; ++h) {
    WriteBytes(tree + "/v3/json/2025/08/01/0" + std::to_string(h) + "/711280073_last.jsonl",
               V3LastLines(2000, 1754006400000000 + h * 3600 * kUsPerSecond));
  }
  ibr::testing::FaultInjectingFileSystem fs;
  std::int64_t stored_first = 0;
  {
    auto store = storage::Store::Open(LegacyStoreOptions(dir.path() + "/store"), fs, clock);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    fs.FailWritesAfter(200'000);  // enough for some ticks, not for 8000
    ImportOptions o;
    o.from = tree;
    auto r = ImportLegacyTree(**store, o);
    if (r.ok()) {
      EXPECT_FALSE(r->store_error.empty()) << "a full disk must be reported";
    }
    fs.StopFailingWrites();
    stored_first = static_cast<std::int64_t>(
        StoredTicks(**store, 711280073, AtIso("2025-08-01T00:00:00Z"), AtIso("2025-08-02T00:00:00Z")).size());
    EXPECT_LT(stored_first, 8000);
  }
  auto store = storage::Store::Open(LegacyStoreOptions(dir.path() + "/store"), fs, clock);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ImportOptions o;
  o.from = tree;
  auto again = ImportLegacyTree(**store, o);
  ASSERT_TRUE(again.ok()) << again.status().ToString() << " (not refused: the first run did not finish)";
  EXPECT_TRUE(again->store_error.empty()) << again->store_error;
  std::vector<Tick> all = StoredTicks(**store, 711280073, AtIso("2025-08-01T00:00:00Z"), AtIso("2025-08-02T00:00:00Z"));
  EXPECT_EQ(all.size(), 8000u);
  EXPECT_EQ(again->imported + again->already_stored, 8000);
  EXPECT_EQ(again->already_stored, static_cast<std::int64_t>(all.size()) - again->imported);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].timestamp_us, all[i].timestamp_us);
}

// A file that cannot be read is named, the rest imported.
TEST(LegacyImportFaultTest, UnreadableFileIsNamedTheRestImported) {
  LegacyTempDir dir;
  ManualClock clock(AtIso("2026-01-05T12:00:00Z"));
  const std::string tree = dir.path() + "/tree";
  WriteBytes(tree + "/v3/json/2025/08/01/00/711280073_last.jsonl", V3LastLines(3, 1754006400000000));
  std::filesystem::create_symlink(dir.path() + "/nowhere", tree + "/v3/json/2025/08/01/00/dangling.jsonl");
  auto store = storage::Store::Open(LegacyStoreOptions(dir.path() + "/store"), PosixFileSystem::Instance(), clock);
  ASSERT_TRUE(store.ok());
  ImportOptions o;
  o.from = tree;
  auto r = ImportLegacyTree(**store, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->imported, 3);
  ASSERT_EQ(r->unreadable_files.size(), 1u);
  EXPECT_EQ(r->unreadable_files[0].rfind("v3/json/2025/08/01/00/dangling.jsonl: ", 0), 0u) << r->unreadable_files[0];
}

}  // namespace
}  // namespace ibr::legacy
