// Import of ../shared/fixtures/ib-stream-storage/ (files the Python ib-stream
// wrote for its own tests): the report's counts and the stored values.
//
// Expected counts worked out independently of the C++ readers by
//   python3 tests/legacy/fixture_counts.py ../shared/fixtures/ib-stream-storage
// (its own JSON and protobuf walking), which prints
//   {"duplicates": 50, "files": {"v2_json": 5, "v2_protobuf": 5, "v3_json": 7},
//    "imported": 57, "read": 107, "skipped": {}}
// and by hand: ib-stream/test_storage has 5 JSON files x 10 lines, each with a
// protobuf twin of 10 frames (100 records, 50 distinct ticks); test_storage_v3
// has 5 files of 1 record, test_storage_multi 2 files of 1 record (7 ticks).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "legacy/legacy_import.h"
#include "legacy_test_util.h"

namespace ibr::legacy {
namespace {

using namespace ibr::legacy_testing;

const std::string kFixtureTree = std::string(IBR_SHARED_DIR) + "/fixtures/ib-stream-storage";

class LegacyFixtureTest : public ::testing::Test {
 protected:
  LegacyFixtureTest() : clock_(AtIso("2026-01-05T12:00:00Z")) {}
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::is_directory(kFixtureTree)) << kFixtureTree;
    auto s = storage::Store::Open(LegacyStoreOptions(dir_.path() + "/store"), PosixFileSystem::Instance(), clock_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  LegacyTempDir dir_;
  ManualClock clock_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(LegacyFixtureTest, CountsMatchTheIndependentCount) {
  ImportOptions o;
  o.from = kFixtureTree;
  auto r = ImportLegacyTree(*store_, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->read, 107);
  EXPECT_EQ(r->imported, 57);
  EXPECT_EQ(r->duplicates, 50);
  EXPECT_EQ(r->already_stored, 0);
  EXPECT_TRUE(r->skipped.empty());
  EXPECT_EQ(r->files, (std::map<std::string, std::int64_t>{{"v2_json", 5}, {"v2_protobuf", 5}, {"v3_json", 7}}));
  EXPECT_TRUE(r->quarantine_path.empty());

  // Again: refused by content hash, and forced: nothing new.
  auto again = ImportLegacyTree(*store_, o);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  o.force = true;
  auto forced = ImportLegacyTree(*store_, o);
  ASSERT_TRUE(forced.ok()) << forced.status().ToString();
  EXPECT_EQ(forced->imported, 0);
  EXPECT_EQ(forced->duplicates, 107 - 0 - 0);
  EXPECT_EQ(forced->already_stored, 57);
}

// Every v2 JSON fixture line comes back from the store with its timestamp and values.
TEST_F(LegacyFixtureTest, StoredTicksEqualTheSource) {
  ImportOptions o;
  o.from = kFixtureTree;
  ASSERT_TRUE(ImportLegacyTree(*store_, o).ok());

  std::vector<nlohmann::json> source;
  for (int i = 0; i < 5; ++i) {
    std::ifstream in(kFixtureTree + "/ib-stream/test_storage/json/2025/07/10/17/test_stream_" + std::to_string(i) +
                     ".jsonl");
    for (std::string line; std::getline(in, line);) source.push_back(nlohmann::json::parse(line));
  }
  ASSERT_EQ(source.size(), 50u);
  std::vector<Tick> stored = StoredTicks(*store_, 265598, AtIso("2025-07-10T17:00:00Z"), AtIso("2025-07-10T18:00:00Z"));
  ASSERT_EQ(stored.size(), 50u);
  // All 50 share one timestamp: match each source line to a stored tick by (stream, sequence).
  for (const auto& m : source) {
    const std::string sid = m["stream_id"];
    const std::uint64_t seq = m["metadata"]["sequence"];
    const Tick* found = nullptr;
    for (const Tick& t : stored) {
      if (t.stream_id == sid && t.sequence == seq) found = &t;
    }
    ASSERT_NE(found, nullptr) << sid << " #" << seq;
    EXPECT_EQ(found->timestamp_us, *ParseIsoTimestamp(m["timestamp"].get<std::string>()));
    const auto& d = m["data"];
    const std::string tt = d["tick_type"];
    EXPECT_EQ(TickTypeName(found->tick_type), tt);
    EXPECT_EQ(found->exchange, d["exchange"].get<std::string>());
    if (tt == "bid_ask") {
      EXPECT_EQ(found->bid_price, d["bid_price"].get<double>());
      EXPECT_EQ(found->bid_size, d["bid_size"].get<double>());
      EXPECT_EQ(found->ask_price, d["ask_price"].get<double>());
      EXPECT_EQ(found->ask_size, d["ask_size"].get<double>());
    } else if (tt == "last") {
      EXPECT_EQ(found->price, d["price"].get<double>());
      EXPECT_EQ(found->size, d["size"].get<double>());
    } else {
      EXPECT_EQ(found->mid_price, d["mid_price"].get<double>());
    }
  }

  // The v3 records: timestamp = st, values as written.
  std::vector<Tick> mnq = StoredTicks(*store_, 711280073, AtIso("2025-08-01T01:00:00Z"), AtIso("2025-08-01T02:00:00Z"));
  ASSERT_EQ(mnq.size(), 7u);
  int checked = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(kFixtureTree)) {
    const std::string p = e.path().string();
    const bool v3_file = p.find("_v3/") != std::string::npos || p.find("_multi/") != std::string::npos;
    if (e.path().extension() != ".jsonl" || !v3_file) continue;
    std::ifstream in(e.path());
    std::string line;
    std::getline(in, line);
    const auto v3 = nlohmann::json::parse(line);
    bool match = false;
    for (const Tick& t : mnq) {
      if (t.timestamp_us != v3["st"].get<std::int64_t>()) continue;
      match = true;
      if (v3.contains("bp")) {
        EXPECT_EQ(t.bid_price, v3["bp"].get<double>());
        EXPECT_EQ(t.ask_price, v3["ap"].get<double>());
      } else {
        EXPECT_EQ(t.price, v3["p"].get<double>());
      }
    }
    EXPECT_TRUE(match) << e.path();
    ++checked;
  }
  EXPECT_EQ(checked, 7);
}

}  // namespace
}  // namespace ibr::legacy
