// Change tracking: every insert, update and delete of every replicated table
// takes the next change number (deletes leave a tombstone holding the natural
// key), updates leave exactly one new number on the row, and MaxChangeNo() is
// change_counter.value.
#include <set>

#include "catalog/catalog.h"
#include "catalog_test_util.h"

namespace ibr::catalog::testing {
namespace {

struct TableCase {
  const char* table;
  const char* insert;
  const char* update;
  const char* where;  // selects the row
  const char* key;    // the tombstone's row_key
};

// Rows refer to instance 1 and session 1, made by the fixture.
const TableCase kCases[] = {
    {"server_instances",
     "INSERT INTO server_instances (instance_name, server_version, host, storage_path, environment, created_at, "
     "updated_at) VALUES ('inst2', 'v', 'h', '/s', 'staging', 'c', 'u')",
     "UPDATE server_instances SET port = 8202 WHERE instance_name = 'inst2'", "instance_name = 'inst2'",
     R"({"instance_name":"inst2"})"},
    {"collection_sessions",
     "INSERT INTO collection_sessions (id, server_instance_id, session_start, created_at, updated_at) "
     "VALUES (50, 1, 's', 'c', 'u')",
     "UPDATE collection_sessions SET status = 'completed' WHERE id = 50", "id = 50", R"({"id":50})"},
    {"session_contracts",
     "INSERT INTO session_contracts (collection_session_id, contract_id, created_at, updated_at) "
     "VALUES (1, 4294967295, 'c', 'u')",
     "UPDATE session_contracts SET messages_collected = 5 WHERE contract_id = 4294967295",
     "collection_session_id = 1 AND contract_id = 4294967295",
     R"({"collection_session_id":1,"contract_id":4294967295})"},
    {"migration_events",
     "INSERT INTO migration_events (id, event_type, event_status, event_start, created_at, updated_at) "
     "VALUES (50, 'handoff', 'started', 's', 'c', 'u')",
     "UPDATE migration_events SET event_status = 'completed' WHERE id = 50", "id = 50", R"({"id":50})"},
    {"tick_files",
     "INSERT INTO tick_files (contract_id, tick_type, hour_bucket, part, file_path, start_time, end_time, "
     "created_at, updated_at) VALUES (4294967295, 'last', '2025-03-10T14:00:00.000000Z', 2, 'p', 's', 'e', 'c', 'u')",
     "UPDATE tick_files SET status = 'sealed' WHERE part = 2", "part = 2",
     R"({"contract_id":4294967295,"tick_type":"last","hour_bucket":"2025-03-10T14:00:00.000000Z","part":2})"},
    {"daily_tick_stats",
     "INSERT INTO daily_tick_stats (contract_id, tick_type, date, total_files, total_messages, total_size_bytes, "
     "created_at, updated_at) VALUES (4294967295, 'last', '2025-03-10', 1, 1, 1, 'c', 'u')",
     "UPDATE daily_tick_stats SET total_files = 2 WHERE date = '2025-03-10'", "date = '2025-03-10'",
     R"({"contract_id":4294967295,"tick_type":"last","date":"2025-03-10"})"},
    {"contracts",
     "INSERT INTO contracts (contract_id, created_at, updated_at) VALUES (4294967295, 'c', 'u')",
     "UPDATE contracts SET symbol = 'ES' WHERE contract_id = 4294967295", "contract_id = 4294967295",
     R"({"contract_id":4294967295})"},
    {"stream_events",
     "INSERT INTO stream_events (id, stream_id, event_type, event_time, created_at) "
     "VALUES (50, 's', 'info', 't', 'c')",
     "UPDATE stream_events SET code = 'x' WHERE id = 50", "id = 50", R"({"id":50})"},
    {"outages",
     "INSERT INTO outages (id, collection_session_id, contract_id, outage_start, cause, created_at, updated_at) "
     "VALUES (50, 1, 7, 's', 'disconnect', 'c', 'u')",
     "UPDATE outages SET outage_end = 'e' WHERE id = 50", "id = 50", R"({"id":50})"},
    {"ingested_sources",
     "INSERT INTO ingested_sources (id, content_hash, source_name, ingested_at) VALUES (50, 'h', 'n', 't')",
     "UPDATE ingested_sources SET accepted = 3 WHERE id = 50", "id = 50", R"({"id":50})"},
    {"reject_counts",
     "INSERT INTO reject_counts (collection_session_id, reason, count, updated_at) VALUES (1, 'bad_json', 1, 'u')",
     "UPDATE reject_counts SET count = 2 WHERE reason = 'bad_json'", "collection_session_id = 1 AND reason = 'bad_json'",
     R"({"collection_session_id":1,"reason":"bad_json"})"},
};

class ChangeTrackingTest : public CatalogTest {
 protected:
  void SetUp() override {
    CatalogTest::SetUp();
    cat_ = OpenRw();
    ASSERT_TRUE(cat_);
    ASSERT_EQ(MakeSession(*cat_), 1);
  }

  std::int64_t Max() {
    auto m = cat_->MaxChangeNo();
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    std::int64_t v = m.ok() ? *m : -1;
    EXPECT_EQ(v, QueryInt(*cat_, "SELECT value FROM change_counter"));
    return v;
  }
  void Exec(const std::string& sql) {
    Status s = cat_->db().Exec(sql);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::unique_ptr<Catalog> cat_;
};

TEST_F(ChangeTrackingTest, EveryReplicatedTableIsCoveredByTriggersAndThisTest) {
  std::set<std::string> tested;
  for (const auto& c : kCases) tested.insert(c.table);
  std::set<std::string> with_change_no;
  auto st = cat_->db().Prepare(
      "SELECT m.name FROM sqlite_schema m WHERE m.type = 'table' AND m.name <> 'tombstones' "
      "AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'change_no')");
  ASSERT_TRUE(st.ok());
  while (st->Step()) with_change_no.insert(st->Text(0));
  EXPECT_EQ(with_change_no, tested);
  for (const auto& t : with_change_no) {
    for (const char* op : {"ins", "upd", "del"}) {
      EXPECT_EQ(QueryInt(*cat_, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = '" + t +
                                    "_change_" + op + "'"),
                1)
          << t << " " << op;
    }
  }
}

TEST_F(ChangeTrackingTest, InsertUpdateDeleteEachTakeTheNextNumber) {
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.table);
    const std::string row_change = std::string("SELECT change_no FROM ") + c.table + " WHERE " + c.where;
    std::int64_t c0 = Max();

    Exec(c.insert);
    std::int64_t c1 = Max();
    EXPECT_EQ(c1, c0 + 1);
    EXPECT_EQ(QueryInt(*cat_, row_change), c1);

    Exec(c.update);
    std::int64_t c2 = Max();
    EXPECT_EQ(c2, c1 + 1);  // exactly one new number for one updated row
    EXPECT_EQ(QueryInt(*cat_, row_change), c2);

    Exec(std::string("DELETE FROM ") + c.table + " WHERE " + c.where);
    std::int64_t c3 = Max();
    EXPECT_EQ(c3, c2 + 1);
    EXPECT_EQ(QueryInt(*cat_, std::string("SELECT count(*) FROM ") + c.table + " WHERE " + c.where), 0);
    EXPECT_EQ(QueryInt(*cat_, "SELECT count(*) FROM tombstones WHERE change_no = " + std::to_string(c3)), 1);
    EXPECT_EQ(QueryText(*cat_, "SELECT table_name FROM tombstones WHERE change_no = " + std::to_string(c3)), c.table);
    EXPECT_EQ(QueryText(*cat_, "SELECT row_key FROM tombstones WHERE change_no = " + std::to_string(c3)), c.key);
  }
  // No number was handed out twice, across tables and tombstones.
  std::string all;
  for (const auto& c : kCases) all += std::string("SELECT change_no FROM ") + c.table + " UNION ALL ";
  all += "SELECT change_no FROM tombstones";
  EXPECT_EQ(QueryInt(*cat_, "SELECT count(*) - count(DISTINCT change_no) FROM (" + all + ")"), 0);
}

TEST_F(ChangeTrackingTest, TombstoneTimeIsFixedWidthMicroseconds) {
  Exec(kCases[6].insert);
  Exec(std::string("DELETE FROM contracts WHERE ") + kCases[6].where);
  std::string t = QueryText(*cat_, "SELECT deleted_at FROM tombstones");
  EXPECT_EQ(t.size(), std::string("2025-03-10T14:00:00.285000Z").size()) << t;
  EXPECT_TRUE(ParseIsoTimestamp(t).has_value()) << t;
  EXPECT_EQ(t.back(), 'Z');
}

TEST_F(ChangeTrackingTest, MultiRowUpdateGivesEachRowItsOwnNumber) {
  for (int part = 1; part <= 3; ++part) {
    TickFileRow f;
    f.contract_id = 1;
    f.tick_type = TickType::kLast;
    f.hour_bucket = T("2025-03-10T14:00:00Z");
    f.part = part;
    f.file_path = std::to_string(part);
    ASSERT_TRUE(cat_->UpsertTickFile(f).ok());
  }
  std::int64_t before = Max();
  Exec("UPDATE tick_files SET message_count = message_count + 1");
  EXPECT_EQ(Max(), before + 3);
  EXPECT_EQ(QueryInt(*cat_, "SELECT count(DISTINCT change_no) FROM tick_files WHERE change_no > " +
                                std::to_string(before)),
            3);
  EXPECT_EQ(QueryInt(*cat_, "SELECT max(change_no) FROM tick_files"), before + 3);
}

TEST_F(ChangeTrackingTest, TypedUpsertUpdateLeavesOneNewNumber) {
  TickFileRow f;
  f.contract_id = 4294967295u;
  f.tick_type = TickType::kBidAsk;
  f.hour_bucket = T("2025-03-10T14:00:00Z");
  f.file_path = "a";
  ASSERT_TRUE(cat_->UpsertTickFile(f).ok());
  std::int64_t c1 = Max();
  f.message_count = 10;
  ASSERT_TRUE(cat_->UpsertTickFile(f).ok());
  EXPECT_EQ(Max(), c1 + 1);
  EXPECT_EQ(QueryInt(*cat_, "SELECT change_no FROM tick_files"), c1 + 1);
  EXPECT_EQ(QueryInt(*cat_, "SELECT count(*) FROM tombstones"), 0);  // an upsert is no delete + insert
}

TEST_F(ChangeTrackingTest, RolledBackChangesReturnTheirNumbers) {
  std::int64_t before = Max();
  {
    Transaction txn(cat_->db());
    ASSERT_TRUE(txn.status().ok());
    Exec(kCases[6].insert);
    EXPECT_EQ(Max(), before + 1);
  }  // rolled back
  EXPECT_EQ(Max(), before);
  Exec(kCases[6].insert);
  EXPECT_EQ(Max(), before + 1);
}

}  // namespace
}  // namespace ibr::catalog::testing
