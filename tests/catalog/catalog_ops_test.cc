// Catalog typed operations: every write reads back as written (including the
// largest contract id), merges and upserts follow their documented rules.
#include "catalog/catalog.h"
#include "catalog_test_util.h"

namespace ibr::catalog::testing {
namespace {

constexpr std::uint32_t kMaxContract = 4294967295u;

using OpsTest = CatalogTest;

TEST_F(OpsTest, InstanceUpsertsByNameAndReadsBack) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  auto none = cat->GetInstance();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  InstanceRow in{.instance_name = "staging-h", .server_version = "0.1.0", .host = "h", .port = 0,
                 .storage_path = "/srv/s", .environment = "staging", .tws_client_id = 22};
  auto id = cat->UpsertInstance(in);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  in.id = *id;
  auto got = cat->GetInstance();
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(**got, in);

  in.port = 8202;
  in.server_version = "0.2.0";
  auto id2 = cat->UpsertInstance(in);
  ASSERT_TRUE(id2.ok());
  EXPECT_EQ(*id2, *id);
  EXPECT_EQ(**cat->GetInstance(), in);
  // Unchanged upsert: same id, no new change number.
  auto before = *cat->MaxChangeNo();
  auto id3 = cat->UpsertInstance(in);
  ASSERT_TRUE(id3.ok());
  EXPECT_EQ(*id3, *id);
  EXPECT_EQ(*cat->MaxChangeNo(), before);
  EXPECT_EQ(QueryInt(*cat, "SELECT count(*) FROM server_instances"), 1);
}

TEST_F(OpsTest, SessionsInsertUpdateListGet) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  std::int64_t first = MakeSession(*cat);
  auto inst = **cat->GetInstance();

  SessionRow s{.server_instance_id = inst.id, .session_start = T("2025-03-10T14:00:00.123456Z"),
               .status = SessionStatus::kActive, .kind = SessionKind::kIngest,
               .config_snapshot = R"({"environment":"production"})"};
  auto id = cat->InsertSession(s);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  s.id = *id;
  EXPECT_EQ(**cat->GetSession(*id), s);

  s.session_end = T("2025-03-10T15:00:00.5Z");
  s.status = SessionStatus::kCompleted;
  s.total_messages_collected = 1234;
  s.total_storage_bytes = 5678;
  s.termination_reason = "import of x.ndjson";
  ASSERT_TRUE(cat->UpdateSession(s).ok());
  EXPECT_EQ(**cat->GetSession(*id), s);
  // Unchanged update is fine and makes no change number.
  auto before = *cat->MaxChangeNo();
  ASSERT_TRUE(cat->UpdateSession(s).ok());
  EXPECT_EQ(*cat->MaxChangeNo(), before);

  auto all = cat->ListSessions();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, first);
  auto completed = cat->ListSessions(SessionStatus::kCompleted);
  ASSERT_TRUE(completed.ok());
  ASSERT_EQ(completed->size(), 1u);
  EXPECT_EQ((*completed)[0], s);
  auto failed = cat->ListSessions(SessionStatus::kFailed);
  ASSERT_TRUE(failed.ok());
  EXPECT_TRUE(failed->empty());

  EXPECT_FALSE(cat->GetSession(999)->has_value());
  SessionRow missing = s;
  missing.id = 999;
  EXPECT_EQ(cat->UpdateSession(missing).code(), StatusCode::kNotFound);
}

TEST_F(OpsTest, SessionNeedsAnExistingInstance) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  SessionRow s{.server_instance_id = 77, .session_start = T("2025-03-10T14:00:00Z")};
  auto id = cat->InsertSession(s);
  ASSERT_FALSE(id.ok());  // foreign_keys = ON
  EXPECT_NE(id.status().message().find("FOREIGN KEY"), std::string::npos) << id.status().message();
}

TEST_F(OpsTest, SessionContractsUpsertWithTickTypesAsJson) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  std::int64_t sid = MakeSession(*cat);
  SessionContractRow a{.collection_session_id = sid, .contract_id = kMaxContract, .symbol = "ES",
                       .tick_types = {TickType::kBidAsk, TickType::kAllLast, TickType::kMidPoint},
                       .messages_collected = 10, .storage_bytes = 100,
                       .first_message_time = T("2025-03-10T14:00:00.000001Z")};
  SessionContractRow b{.collection_session_id = sid, .contract_id = 265598, .symbol = "AAPL",
                       .tick_types = {TickType::kLast}};
  ASSERT_TRUE(cat->UpsertSessionContract(a).ok());
  ASSERT_TRUE(cat->UpsertSessionContract(b).ok());
  EXPECT_EQ(QueryText(*cat, "SELECT tick_types FROM session_contracts WHERE contract_id = 4294967295"),
            R"(["bid_ask","all_last","mid_point"])");
  a.messages_collected = 20;
  a.last_message_time = T("2025-03-10T14:59:59.999999Z");
  ASSERT_TRUE(cat->UpsertSessionContract(a).ok());
  auto got = cat->ListSessionContracts(sid);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0], b);
  EXPECT_EQ((*got)[1], a);
  EXPECT_TRUE(cat->ListSessionContracts(sid + 1)->empty());
}

TickFileRow FullFile() {
  TickFileRow f;
  f.contract_id = kMaxContract;
  f.tick_type = TickType::kAllLast;
  f.hour_bucket = T("2025-03-10T14:00:00Z");
  f.part = 3;
  f.file_path = "protobuf/4294967295/all_last/2025/03/10/14_ticks.part3.pb.lz4";
  f.status = FileStatus::kSealed;
  f.part_reason = PartReason::kLate;
  f.start_time = T("2025-03-10T14:00:00.285000Z");
  f.end_time = T("2025-03-10T14:59:59.999999Z");
  f.file_size_bytes = 1 << 20;
  f.message_count = 60000;
  f.compression = "lz4";
  f.checksum = "xxh32:0badf00d";
  f.first_sequence = 1;
  f.last_sequence = 60000;
  f.min_price = 229.5;
  f.max_price = 231.25;
  f.total_volume = 1e6;
  f.price_sum = 229.9 * 60000;
  f.price_count = 60000;
  f.notional = 2.3e8;
  return f;
}

TEST_F(OpsTest, TickFileUpsertRoundTripsEveryField) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  TickFileRow f = FullFile();
  auto id = cat->UpsertTickFile(f);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  f.id = *id;
  auto got = cat->GetTickFile(f.contract_id, f.tick_type, f.hour_bucket, f.part);
  ASSERT_TRUE(got.ok() && got->has_value()) << got.status().ToString();
  EXPECT_EQ(**got, f);

  // Minimal open file: optional columns NULL.
  TickFileRow open;
  open.contract_id = 1;
  open.tick_type = TickType::kBidAsk;
  open.hour_bucket = T("2025-03-10T14:00:00Z");
  open.file_path = "protobuf/1/bid_ask/2025/03/10/14_ticks.pb";
  open.start_time = open.end_time = T("2025-03-10T14:00:01Z");
  auto oid = cat->UpsertTickFile(open);
  ASSERT_TRUE(oid.ok());
  open.id = *oid;
  EXPECT_EQ(**cat->GetTickFile(1, TickType::kBidAsk, open.hour_bucket, 1), open);

  // Seal: same key, new path/status — same row, same id.
  open.file_path += ".lz4";
  open.status = FileStatus::kSealed;
  open.compression = "lz4";
  open.checksum = "xxh32:1";
  auto sid = cat->UpsertTickFile(open);
  ASSERT_TRUE(sid.ok());
  EXPECT_EQ(*sid, *oid);
  EXPECT_EQ(**cat->GetTickFile(1, TickType::kBidAsk, open.hour_bucket, 1), open);

  // No-op upsert still returns the id and hands out no change number.
  auto before = *cat->MaxChangeNo();
  auto again = cat->UpsertTickFile(open);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *oid);
  EXPECT_EQ(*cat->MaxChangeNo(), before);

  auto sealed = cat->ListTickFiles(FileStatus::kSealed);
  ASSERT_TRUE(sealed.ok());
  ASSERT_EQ(sealed->size(), 2u);
  EXPECT_EQ((*sealed)[0], open);  // contract 1 before 4294967295
  EXPECT_EQ((*sealed)[1], f);
  EXPECT_TRUE(cat->ListTickFiles(FileStatus::kOpen)->empty());
  EXPECT_EQ(cat->ListTickFiles()->size(), 2u);
}

TEST_F(OpsTest, DeleteTickFileByKey) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  TickFileRow f = FullFile();
  ASSERT_TRUE(cat->UpsertTickFile(f).ok());
  EXPECT_EQ(cat->DeleteTickFile(f.contract_id, f.tick_type, f.hour_bucket, 1).code(), StatusCode::kNotFound);
  ASSERT_TRUE(cat->DeleteTickFile(f.contract_id, f.tick_type, f.hour_bucket, f.part).ok());
  EXPECT_FALSE(cat->GetTickFile(f.contract_id, f.tick_type, f.hour_bucket, f.part)->has_value());
  EXPECT_EQ(cat->DeleteTickFile(f.contract_id, f.tick_type, f.hour_bucket, f.part).code(), StatusCode::kNotFound);
}

TEST_F(OpsTest, ContractUpsertMergesSeenRangeAndNonEmptyFields) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  ContractRow c{.contract_id = kMaxContract, .symbol = "ES", .exchange = "CME",
                .first_seen = T("2025-03-10T14:00:00Z"), .last_seen = T("2025-03-10T15:00:00Z")};
  ASSERT_TRUE(cat->UpsertContract(c).ok());
  EXPECT_EQ(cat->ListContracts()->at(0), c);

  // From a file: earlier first tick, empty symbol, new currency, exchange "" keeps CME.
  ASSERT_TRUE(cat->UpsertContract(ContractRow{.contract_id = kMaxContract, .exchange = "", .currency = "USD",
                                              .first_seen = T("2025-03-09T10:00:00Z"),
                                              .last_seen = T("2025-03-10T14:30:00Z")})
                  .ok());
  auto got = cat->ListContracts();
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  ContractRow want = c;
  want.currency = "USD";
  want.first_seen = T("2025-03-09T10:00:00Z");
  EXPECT_EQ((*got)[0], want);

  // Unchanged merge: no new change number.
  auto before = *cat->MaxChangeNo();
  ASSERT_TRUE(cat->UpsertContract(ContractRow{.contract_id = kMaxContract, .last_seen = T("2025-03-10T14:00:00Z")}).ok());
  EXPECT_EQ(*cat->MaxChangeNo(), before);
}

TEST_F(OpsTest, ContractConfigurationChangesOnlyThroughTrackedRows) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  ContractRow tracked{.contract_id = 265598, .symbol = "AAPL", .tracked = true,
                      .tick_types = {TickType::kBidAsk, TickType::kLast}, .buffer_hours = 2};
  ASSERT_TRUE(cat->UpsertContract(tracked).ok());
  // A file-derived upsert (tracked = false, defaults elsewhere) leaves the configuration.
  ASSERT_TRUE(cat->UpsertContract(ContractRow{.contract_id = 265598, .last_seen = T("2025-03-10T14:00:00Z"),
                                              .active = false})
                  .ok());
  ContractRow want = tracked;
  want.last_seen = T("2025-03-10T14:00:00Z");
  EXPECT_EQ(cat->ListContracts()->at(0), want);
  // A tracked upsert overwrites it.
  ContractRow changed = tracked;
  changed.tick_types = {TickType::kMidPoint};
  changed.buffer_hours = 0;
  changed.active = false;
  ASSERT_TRUE(cat->UpsertContract(changed).ok());
  want.tick_types = changed.tick_types;
  want.buffer_hours = 0;
  want.active = false;
  EXPECT_EQ(cat->ListContracts()->at(0), want);
  EXPECT_EQ(QueryText(*cat, "SELECT tick_types FROM contracts"), R"(["mid_point"])");
}

TEST_F(OpsTest, StreamEventsInsertAndList) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  std::int64_t sid = MakeSession(*cat);
  StreamEventRow e1{.collection_session_id = sid, .stream_id = "4294967295_last_1_1", .contract_id = kMaxContract,
                    .tick_type = TickType::kLast, .event_type = "error", .event_time = T("2025-03-10T14:00:02Z"),
                    .code = "354", .raw_message = R"({"type":"error"})"};
  StreamEventRow e2{.stream_id = "all", .event_type = "disconnect", .event_time = T("2025-03-10T14:00:01Z")};
  auto id1 = cat->InsertStreamEvent(e1);
  auto id2 = cat->InsertStreamEvent(e2);
  ASSERT_TRUE(id1.ok() && id2.ok()) << id1.status().ToString() << id2.status().ToString();
  e1.id = *id1;
  e2.id = *id2;
  auto all = cat->ListStreamEvents();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], e2);  // by event time
  EXPECT_EQ((*all)[1], e1);
  auto mine = cat->ListStreamEvents(sid);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0], e1);
  // The schema's CHECK refuses an unknown event type.
  StreamEventRow bad = e2;
  bad.event_type = "weird";
  auto r = cat->InsertStreamEvent(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(OpsTest, OutagesInsertUpdateList) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  std::int64_t sid = MakeSession(*cat);
  OutageRow o{.collection_session_id = sid, .contract_id = kMaxContract, .outage_start = T("2025-03-10T14:05:00Z"),
              .cause = "disconnect"};
  auto id = cat->InsertOutage(o);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  o.id = *id;
  EXPECT_EQ(cat->ListOutages()->at(0), o);
  o.outage_end = T("2025-03-10T14:06:30Z");
  o.tick_type = TickType::kBidAsk;
  o.cause = "error:1100";
  ASSERT_TRUE(cat->UpdateOutage(o).ok());
  auto got = cat->ListOutages(sid);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0], o);
  EXPECT_TRUE(cat->ListOutages(sid + 1)->empty());
  OutageRow missing = o;
  missing.id = 999;
  EXPECT_EQ(cat->UpdateOutage(missing).code(), StatusCode::kNotFound);
}

TEST_F(OpsTest, RejectsAddUpPerSessionAndReason) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  std::int64_t s1 = MakeSession(*cat);
  auto s2 = cat->InsertSession(SessionRow{.server_instance_id = (*cat->GetInstance())->id,
                                          .session_start = T("2025-03-10T15:00:00Z")});
  ASSERT_TRUE(s2.ok());
  ASSERT_TRUE(cat->AddRejects(s1, {{"bad_json", 2}, {"not_finite", 1}, {"missing_field", 0}}).ok());
  ASSERT_TRUE(cat->AddRejects(s1, {{"bad_json", 3}}).ok());
  ASSERT_TRUE(cat->AddRejects(*s2, {{"bad_json", 10}}).ok());
  ASSERT_TRUE(cat->AddRejects(*s2, {}).ok());
  auto totals = cat->RejectTotals();
  ASSERT_TRUE(totals.ok());
  std::map<std::string, std::int64_t> want{{"bad_json", 15}, {"not_finite", 1}};
  EXPECT_EQ(*totals, want);
  EXPECT_EQ(QueryInt(*cat, "SELECT count FROM reject_counts WHERE collection_session_id = " + std::to_string(s1) +
                               " AND reason = 'bad_json'"),
            5);
  EXPECT_EQ(QueryInt(*cat, "SELECT count(*) FROM reject_counts"), 3);  // zero counts make no row
}

TEST_F(OpsTest, FailedOperationInsideCallerTransactionUndoesOnlyItself) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  std::int64_t s1 = MakeSession(*cat);
  ASSERT_TRUE(cat->AddRejects(s1, {{"bad_json", 1}}).ok());
  Transaction txn(cat->db());
  ASSERT_TRUE(txn.status().ok());
  ASSERT_TRUE(cat->AddRejects(s1, {{"bad_json", 1}}).ok());
  // Session 999 does not exist: the foreign key fails it.
  EXPECT_FALSE(cat->AddRejects(999, {{"a", 1}, {"bad_json", 1}}).ok());
  EXPECT_TRUE(cat->db().InTransaction());
  ASSERT_TRUE(txn.Commit().ok());
  EXPECT_EQ(cat->RejectTotals()->at("bad_json"), 2);
  EXPECT_EQ(cat->RejectTotals()->count("a"), 0u);
}

TEST_F(OpsTest, IngestedSourcesFindLatestByHash) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  std::int64_t sid = MakeSession(*cat);
  EXPECT_FALSE(cat->FindIngestedSource("abc")->has_value());
  IngestedSourceRow a{.content_hash = "abc", .source_name = "a.ndjson", .bytes = 100, .lines = 3, .accepted = 2,
                      .rejected = 1, .collection_session_id = sid, .ingested_at = T("2025-03-10T14:00:00Z")};
  IngestedSourceRow b = a;
  b.source_name = "copy-of-a.ndjson";
  b.source_kind = "import";
  b.collection_session_id.reset();
  b.ingested_at = T("2025-03-11T14:00:00Z");
  auto ia = cat->InsertIngestedSource(a);
  auto ib = cat->InsertIngestedSource(b);  // --force: a second row with the same hash
  ASSERT_TRUE(ia.ok() && ib.ok());
  b.id = *ib;
  auto got = cat->FindIngestedSource("abc");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(**got, b);
  EXPECT_FALSE(cat->FindIngestedSource("abd")->has_value());
}

TEST_F(OpsTest, MigrationEventsInsertUpdateList) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  MigrationEventRow m{.event_type = "handoff", .event_status = "started", .source_instance = "production-blue",
                      .event_start = T("2025-03-10T14:00:00Z"), .contracts_migrated = {265598, kMaxContract}};
  auto id = cat->InsertMigrationEvent(m);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  m.id = *id;
  EXPECT_EQ(cat->ListMigrationEvents()->at(0), m);
  EXPECT_EQ(QueryText(*cat, "SELECT contracts_migrated FROM migration_events"), "[265598,4294967295]");
  m.event_status = "completed";
  m.event_end = T("2025-03-10T14:01:00Z");
  m.target_instance = "production-green";
  m.validation_results = R"({"ok":true})";
  m.notes = "smooth";
  m.metadata = "{}";
  ASSERT_TRUE(cat->UpdateMigrationEvent(m).ok());
  auto got = cat->ListMigrationEvents();
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0], m);
  m.id = 999;
  EXPECT_EQ(cat->UpdateMigrationEvent(m).code(), StatusCode::kNotFound);
}

TEST_F(OpsTest, ClearFileDerivedTablesKeepsTrackedContractsAndOtherTables) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  std::int64_t sid = MakeSession(*cat);
  ASSERT_TRUE(cat->UpsertTickFile(FullFile()).ok());
  ASSERT_TRUE(cat->RecomputeAllDailyStats().ok());
  ASSERT_TRUE(cat->UpsertContract(ContractRow{.contract_id = 1, .symbol = "T", .tracked = true}).ok());
  ASSERT_TRUE(cat->UpsertContract(ContractRow{.contract_id = 2, .symbol = "U"}).ok());
  ASSERT_TRUE(cat->AddRejects(sid, {{"bad_json", 1}}).ok());
  ASSERT_EQ(QueryInt(*cat, "SELECT count(*) FROM daily_tick_stats"), 1);

  ASSERT_TRUE(cat->ClearFileDerivedTables().ok());
  EXPECT_TRUE(cat->ListTickFiles()->empty());
  EXPECT_TRUE(cat->ListDailyStats()->empty());
  auto contracts = cat->ListContracts();
  ASSERT_EQ(contracts->size(), 1u);
  EXPECT_EQ((*contracts)[0].contract_id, 1u);
  EXPECT_EQ(cat->ListSessions()->size(), 1u);
  EXPECT_EQ(cat->RejectTotals()->at("bad_json"), 1);
  // Deletions travel to ib-sync as tombstones.
  EXPECT_EQ(QueryInt(*cat, "SELECT count(*) FROM tombstones WHERE table_name IN "
                           "('tick_files', 'daily_tick_stats', 'contracts')"),
            3);
}

TEST_F(OpsTest, CorruptStoredValueIsReportedNotGuessed) {
  auto cat = OpenRw();
  ASSERT_TRUE(cat);
  ASSERT_TRUE(cat->UpsertTickFile(FullFile()).ok());
  ASSERT_TRUE(cat->db().Exec("UPDATE tick_files SET tick_type = 'trades'").ok());
  auto got = cat->ListTickFiles();
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kCorruption);
  EXPECT_NE(got.status().message().find("tick_type"), std::string::npos) << got.status().message();
  EXPECT_NE(got.status().message().find("'trades'"), std::string::npos) << got.status().message();
}

}  // namespace
}  // namespace ibr::catalog::testing
