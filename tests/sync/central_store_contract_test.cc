// The CentralStore contract (central_store.h), run against the real
// PostgreSQL: PgCentralStore as ib_sync on a fresh database, reached through a
// TcpProxy so a dead network can be played (STYLE.md point 8: no in-memory
// imitation of PostgreSQL).
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "pg_central_store.h"
#include "pg_test_db.h"
#include "tcp_proxy.h"

namespace ibr::sync::testing {
namespace {

// A row of `table` with plausible defaults, overridden by `values` (column -> text).
Row MakeRow(const TableSpec& table, const std::map<std::string, std::string>& values) {
  Row row;
  for (const auto& c : table.columns) {
    if (auto it = values.find(c.name); it != values.end()) {
      row.emplace_back(it->second);
      continue;
    }
    switch (c.type) {
      case ColumnType::kInt: row.emplace_back("1"); break;
      case ColumnType::kBool: row.emplace_back("t"); break;
      case ColumnType::kReal: row.emplace_back("1.5"); break;
      case ColumnType::kTime: row.emplace_back("2025-03-10T13:00:00.000000Z"); break;
      case ColumnType::kDate: row.emplace_back("2025-03-10"); break;
      case ColumnType::kJson: row.emplace_back("{}"); break;
      case ColumnType::kTextArray: row.emplace_back("{\"bid_ask\"}"); break;
      case ColumnType::kBigintArray: row.emplace_back("{1}"); break;
      case ColumnType::kText:
        if (c.name == "status") row.emplace_back(table.name == "tick_files" ? "sealed" : "completed");
        else if (c.name == "session_kind") row.emplace_back("run");
        else if (c.name == "part_reason") row.emplace_back("first");
        else if (c.name == "event_type") row.emplace_back(table.name == "stream_events" ? "info" : "handoff");
        else if (c.name == "event_status") row.emplace_back("completed");
        else row.emplace_back(c.nullable ? Value() : Value("x"));
    }
  }
  return row;
}

const TableSpec& Spec(const std::string& name) { return *FindTable(name); }

class CentralStoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    auto owner = OwnerDsnOrSkip();
    if (!owner) return;
    db_ = PgTestDb::Create(*owner);
    const auto [host, port] = TcpProxy::HostPort(db_->sync_dsn());
    proxy_ = std::make_unique<TcpProxy>(host, port);
    ASSERT_NE(proxy_->port(), 0) << "the test proxy cannot listen";
    store_ = std::make_unique<PgCentralStore>(proxy_->Through(db_->sync_dsn()));
  }

  Batch NewBatch(const std::string& instance, const SyncPosition& expected, std::int64_t to, bool start = false) {
    Batch b;
    b.instance_name = instance;
    b.instance = MakeRow(InstanceTable(), {{"instance_name", instance}, {"port", "8002"}});
    b.generation = "gen-a";
    b.from_change_no = expected.change_no;
    b.to_change_no = to;
    b.catalog_max_change_no = to;
    b.reaches_end = true;
    b.expected = expected;
    b.starts_pass = start;
    return b;
  }
  static void Add(Batch& b, const std::string& table, Row row) {
    for (auto& t : b.tables) {
      if (t.table->name == table) {
        t.rows.push_back(std::move(row));
        return;
      }
    }
    b.tables.push_back({&Spec(table), {std::move(row)}});
  }
  std::int64_t Count(const std::string& instance, const std::string& table) {
    auto c = store_->CountRows(instance);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? (*c)[table] : -1;
  }
  // The store's row counts of the tables named in `expected` equal it.
  void ExpectCounts(const std::string& instance, const std::map<std::string, std::int64_t>& expected) {
    auto c = store_->CountRows(instance);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    std::map<std::string, std::int64_t> actual;
    for (const auto& [table, n] : expected) actual[table] = (*c)[table];
    EXPECT_EQ(actual, expected) << instance;
  }
  // A first batch: one session with a contract, two files, a contract row.
  SyncPosition SeedFirst(const std::string& instance) {
    Batch b = NewBatch(instance, SyncPosition{}, 10, true);
    Add(b, "collection_sessions", MakeRow(Spec("collection_sessions"), {{"id", "1"}}));
    Add(b, "session_contracts", MakeRow(Spec("session_contracts"), {{"collection_session_id", "1"}, {"contract_id", "711280073"}}));
    Add(b, "outages", MakeRow(Spec("outages"), {{"id", "1"}, {"collection_session_id", "1"}, {"contract_id", "711280073"}}));
    Add(b, "tick_files", MakeRow(Spec("tick_files"), {{"contract_id", "711280073"}, {"part", "1"}}));
    Add(b, "tick_files", MakeRow(Spec("tick_files"), {{"contract_id", "711280073"}, {"part", "2"}}));
    Add(b, "contracts", MakeRow(Spec("contracts"), {{"contract_id", "711280073"}}));
    auto p = store_->ApplyBatch(b);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? *p : SyncPosition{};
  }

  std::unique_ptr<PgTestDb> db_;
  std::unique_ptr<TcpProxy> proxy_;
  std::unique_ptr<CentralStore> store_;
};

#define SKIP_WITHOUT_STORE() \
  if (!store_) return

TEST_F(CentralStoreContract, UnknownInstanceHasZeroPosition) {
  SKIP_WITHOUT_STORE();
  auto p = store_->LoadPosition("nobody");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(*p, SyncPosition{});
  EXPECT_EQ(Count("nobody", "tick_files"), 0);
}

TEST_F(CentralStoreContract, BatchStoresRowsAndPositionTogether) {
  SKIP_WITHOUT_STORE();
  SyncPosition p = SeedFirst("host-a");
  EXPECT_EQ(p, (SyncPosition{"gen-a", 10, 1, false}));
  auto loaded = store_->LoadPosition("host-a");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, p);
  ExpectCounts("host-a", {{"server_instances", 1}, {"collection_sessions", 1}, {"session_contracts", 1},
                          {"outages", 1}, {"tick_files", 2}, {"contracts", 1}});
}

TEST_F(CentralStoreContract, StaleBatchIsRefusedAndChangesNothing) {
  SKIP_WITHOUT_STORE();
  SeedFirst("host-a");
  Batch again = NewBatch("host-a", SyncPosition{}, 10, true);  // the same window, from a stale position
  Add(again, "tick_files", MakeRow(Spec("tick_files"), {{"contract_id", "711280073"}, {"part", "3"}}));
  auto r = store_->ApplyBatch(again);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kBusy) << r.status().ToString();
  EXPECT_EQ(Count("host-a", "tick_files"), 2);
  EXPECT_EQ(*store_->LoadPosition("host-a"), (SyncPosition{"gen-a", 10, 1, false}));
}

TEST_F(CentralStoreContract, UpsertOnNaturalKeyNeverDuplicates) {
  SKIP_WITHOUT_STORE();
  SyncPosition p = SeedFirst("host-a");
  Batch b = NewBatch("host-a", p, 12);
  Add(b, "tick_files", MakeRow(Spec("tick_files"), {{"contract_id", "711280073"}, {"part", "2"}, {"message_count", "99"}}));
  Add(b, "collection_sessions", MakeRow(Spec("collection_sessions"), {{"id", "1"}, {"status", "failed"}}));
  ASSERT_TRUE(store_->ApplyBatch(b).ok());
  EXPECT_EQ(Count("host-a", "tick_files"), 2);
  EXPECT_EQ(Count("host-a", "collection_sessions"), 1);
}

TEST_F(CentralStoreContract, TombstonesDeleteBeforeRowsAreWritten) {
  SKIP_WITHOUT_STORE();
  SyncPosition p = SeedFirst("host-a");
  Batch b = NewBatch("host-a", p, 14);
  const TableSpec& tf = Spec("tick_files");
  b.tombstones.push_back({&tf, {"711280073", "x", "2025-03-10T13:00:00.000000Z", "1"}, 11});
  // deleted then written again in the same window: it must survive
  b.tombstones.push_back({&tf, {"711280073", "x", "2025-03-10T13:00:00.000000Z", "2"}, 12});
  Add(b, "tick_files", MakeRow(tf, {{"contract_id", "711280073"}, {"part", "2"}}));
  ASSERT_TRUE(store_->ApplyBatch(b).ok());
  EXPECT_EQ(Count("host-a", "tick_files"), 1);
}

TEST_F(CentralStoreContract, SessionTombstoneTakesItsRowsAlong) {
  SKIP_WITHOUT_STORE();
  SyncPosition p = SeedFirst("host-a");
  Batch b = NewBatch("host-a", p, 11);
  b.tombstones.push_back({&Spec("collection_sessions"), {"1"}, 11});
  ASSERT_TRUE(store_->ApplyBatch(b).ok());
  ExpectCounts("host-a", {{"collection_sessions", 0}, {"session_contracts", 0}, {"outages", 0}, {"tick_files", 2}});
}

TEST_F(CentralStoreContract, RowsOfAnUnknownSessionAreRefusedAtomically) {
  SKIP_WITHOUT_STORE();
  SyncPosition p = SeedFirst("host-a");
  Batch b = NewBatch("host-a", p, 13);
  Add(b, "tick_files", MakeRow(Spec("tick_files"), {{"contract_id", "711280073"}, {"part", "7"}}));
  Add(b, "outages", MakeRow(Spec("outages"), {{"id", "9"}, {"collection_session_id", "42"}}));
  EXPECT_FALSE(store_->ApplyBatch(b).ok());
  EXPECT_EQ(Count("host-a", "tick_files"), 2);
  EXPECT_EQ(store_->LoadPosition("host-a")->change_no, 10);
}

TEST_F(CentralStoreContract, FullPassSweepsWhatItDidNotResend) {
  SKIP_WITHOUT_STORE();
  SyncPosition p = SeedFirst("host-a");
  // A rebuilt catalog: new generation, holds only one file and no session, in two batches.
  Batch b1 = NewBatch("host-a", p, 3, true);
  b1.generation = "gen-b";
  b1.reaches_end = false;
  Add(b1, "tick_files", MakeRow(Spec("tick_files"), {{"contract_id", "711280073"}, {"part", "1"}}));
  auto p1 = store_->ApplyBatch(b1);
  ASSERT_TRUE(p1.ok()) << p1.status().ToString();
  EXPECT_EQ(*p1, (SyncPosition{"gen-b", 3, 2, true}));
  EXPECT_EQ(Count("host-a", "tick_files"), 2);  // nothing swept before the pass ends
  Batch b2 = NewBatch("host-a", *p1, 5);
  b2.generation = "gen-b";
  auto p2 = store_->ApplyBatch(b2);
  ASSERT_TRUE(p2.ok()) << p2.status().ToString();
  EXPECT_EQ(*p2, (SyncPosition{"gen-b", 5, 2, false}));
  ExpectCounts("host-a", {{"tick_files", 1}, {"collection_sessions", 0}, {"session_contracts", 0},
                          {"contracts", 0}, {"server_instances", 1}});
}

TEST_F(CentralStoreContract, ANewGenerationKeepsTheOldOnesRowsKeyedByLocalIds) {
  SKIP_WITHOUT_STORE();
  SyncPosition p = SeedFirst("host-a");
  // gen-b reuses local session id 1 for another session; gen-a's session 1 and its rows stay.
  Batch b = NewBatch("host-a", p, 4, true);
  b.generation = "gen-b";
  Add(b, "collection_sessions", MakeRow(Spec("collection_sessions"), {{"id", "1"}, {"session_kind", "reconstructed"}}));
  Add(b, "session_contracts", MakeRow(Spec("session_contracts"), {{"collection_session_id", "1"}, {"contract_id", "711280073"}}));
  Add(b, "tick_files", MakeRow(Spec("tick_files"), {{"contract_id", "711280073"}, {"part", "1"}}));
  auto pb = store_->ApplyBatch(b);
  ASSERT_TRUE(pb.ok()) << pb.status().ToString();
  EXPECT_EQ(Count("host-a", "collection_sessions"), 1);  // of gen-b
  EXPECT_EQ(Count("host-a", "outages"), 0);
  EXPECT_EQ(Count("host-a", "tick_files"), 1);           // files mirror the current catalog
  // A tombstone of gen-b's session 1 does not touch gen-a's.
  Batch t = NewBatch("host-a", *pb, 5);
  t.generation = "gen-b";
  t.tombstones.push_back({&Spec("collection_sessions"), {"1"}, 5});
  auto pt = store_->ApplyBatch(t);
  ASSERT_TRUE(pt.ok()) << pt.status().ToString();
  EXPECT_EQ(Count("host-a", "collection_sessions"), 0);
  // Back at gen-a (its catalog restored), before its pass ends: gen-a's rows are all still there.
  Batch back = NewBatch("host-a", *pt, 2, true);
  back.reaches_end = false;
  ASSERT_TRUE(store_->ApplyBatch(back).ok());
  ExpectCounts("host-a", {{"collection_sessions", 1}, {"session_contracts", 1}, {"outages", 1}});
}

TEST_F(CentralStoreContract, InstancesAreIndependent) {
  SKIP_WITHOUT_STORE();
  SeedFirst("host-a");
  SeedFirst("host-b");  // same local ids, same file keys, same host and port
  EXPECT_EQ(Count("host-a", "tick_files"), 2);
  EXPECT_EQ(Count("host-b", "tick_files"), 2);
  Batch b = NewBatch("host-b", *store_->LoadPosition("host-b"), 11);
  b.tombstones.push_back({&Spec("collection_sessions"), {"1"}, 11});
  ASSERT_TRUE(store_->ApplyBatch(b).ok());
  EXPECT_EQ(Count("host-a", "collection_sessions"), 1);
  EXPECT_EQ(Count("host-b", "collection_sessions"), 0);
}

TEST_F(CentralStoreContract, ADeadNetworkIsUnavailableChangesNothingAndReconnects) {
  SKIP_WITHOUT_STORE();
  SyncPosition p = SeedFirst("host-a");
  proxy_->SetUp(false);  // the store's open connection is cut, new ones are closed at once
  Batch b = NewBatch("host-a", p, 12);
  Add(b, "tick_files", MakeRow(Spec("tick_files"), {{"contract_id", "711280073"}, {"part", "3"}}));
  auto r = store_->ApplyBatch(b);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status().ToString();
  auto again = store_->LoadPosition("host-a");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kUnavailable) << again.status().ToString();
  proxy_->SetUp(true);
  EXPECT_EQ(Count("host-a", "tick_files"), 2);  // the failed batch left nothing behind
  auto applied = store_->ApplyBatch(b);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(Count("host-a", "tick_files"), 3);
}

}  // namespace
}  // namespace ibr::sync::testing
