// What the recorder really writes (through catalog::Catalog, as its writer,
// recovery, retention and migrate code do) arrives centrally intact.
#include <gtest/gtest.h>

#include <filesystem>

#include "catalog/catalog.h"
#include "common/file_system.h"
#include "common/time_text.h"
#include "fake_sleeper.h"
#include "pg_central_store.h"
#include "pg_test_db.h"
#include "storage/layout.h"
#include "sync_agent.h"
#include "test_catalog.h"

namespace ibr::sync::testing {
namespace {

using catalog::Catalog;

TimeUs T(const char* iso) { return ParseIsoTimestamp(iso).value(); }


TEST(CatalogApi, RecorderWritesReplicateIntact) {
  IBR_PG_TEST_PRELUDE(owner);
  auto db = PgTestDb::Create(owner);
  const std::string root = TempDir("api");
  ManualClock clock(T("2025-03-10T13:00:00Z"));
  auto opened = Catalog::Open(storage::CatalogPath(root), Catalog::Mode::kReadWrite, clock);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Catalog& cat = **opened;

  catalog::InstanceRow inst{0, "production-api", "0.1.0", "collector9", 8002, root, "production", 2};
  ASSERT_TRUE(cat.UpsertInstance(inst).ok());
  catalog::SessionRow session;
  session.server_instance_id = 1;
  session.session_start = T("2025-03-10T13:00:00Z");
  session.config_snapshot = R"({"environment":"production","tracked":[711280073]})";
  auto sid = cat.InsertSession(session);
  ASSERT_TRUE(sid.ok());
  session.id = *sid;
  Ok(cat.UpsertSessionContract({*sid, 711280073, "MNQ", {TickType::kBidAsk, TickType::kMidPoint}, 0, 0, {}, {}}));
  Ok(cat.UpsertContract({711280073, "MNQ", "CME", "USD", "FUT", T("2025-03-10T13:00:01Z"), T("2025-03-10T13:59:59Z"),
                         true, true, {TickType::kBidAsk}, 24}));

  // A file opened, grown, then sealed (its path changes), and another hour deleted by retention.
  catalog::TickFileRow f;
  f.contract_id = 4294967295u;  // the largest IB id
  f.tick_type = TickType::kAllLast;
  f.hour_bucket = T("2025-03-10T13:00:00Z");
  f.file_path = "protobuf/4294967295/all_last/2025/03/10/13_ticks.pb";
  f.start_time = T("2025-03-10T13:00:00.285Z");
  f.end_time = T("2025-03-10T13:10:00Z");
  f.message_count = 10;
  ASSERT_TRUE(cat.UpsertTickFile(f).ok());
  f.file_path += ".lz4";
  f.status = catalog::FileStatus::kSealed;
  f.compression = "lz4";
  f.checksum = "xxh32:0badf00d";
  f.end_time = T("2025-03-10T13:59:59.999999Z");
  f.message_count = 60000;
  f.min_price = 229.95;
  f.max_price = 0.1 + 0.2;
  f.total_volume = 1500.5;
  f.notional = 345000.125;
  ASSERT_TRUE(cat.UpsertTickFile(f).ok());
  catalog::TickFileRow old = f;
  old.hour_bucket = T("2025-03-09T13:00:00Z");
  old.file_path = "protobuf/4294967295/all_last/2025/03/09/13_ticks.pb.lz4";
  old.start_time = T("2025-03-09T13:00:00Z");
  old.end_time = T("2025-03-09T13:30:00Z");
  ASSERT_TRUE(cat.UpsertTickFile(old).ok());
  Ok(cat.RecomputeDailyStats(4294967295u, TickType::kAllLast, "2025-03-10"));
  Ok(cat.RecomputeDailyStats(4294967295u, TickType::kAllLast, "2025-03-09"));

  catalog::OutageRow outage{0, *sid, 711280073, std::nullopt, T("2025-03-10T13:20:00Z"), std::nullopt, "disconnect"};
  auto oid = cat.InsertOutage(outage);
  ASSERT_TRUE(oid.ok());
  Ok(cat.AddRejects(*sid, {{"bad_json", 2}}));
  catalog::StreamEventRow ev;
  ev.collection_session_id = *sid;
  ev.stream_id = "711280073_bid_ask_1741611600028_9282";
  ev.contract_id = 711280073;
  ev.tick_type = TickType::kBidAsk;
  ev.event_type = "error";
  ev.event_time = T("2025-03-10T13:20:00Z");
  ev.code = "10197";
  ev.raw_message = "{\"type\":\"error\",\"data\":{\"code\":10197,\"message\":\"bad\xff\"}}";  // not UTF-8
  ASSERT_TRUE(cat.InsertStreamEvent(ev).ok());
  catalog::MigrationEventRow mig;
  mig.event_type = "handoff";
  mig.event_status = "started";
  mig.source_instance = "production-old";
  mig.target_instance = "production-api";
  mig.event_start = T("2025-03-10T12:55:00Z");
  mig.contracts_migrated = {711280073, 4294967295u};
  auto mid = cat.InsertMigrationEvent(mig);
  ASSERT_TRUE(mid.ok());

  // First sync, then more history: the outage ends, the migration completes, retention deletes
  // the old hour, the session ends.
  PgCentralStore store(db->sync_dsn());
  FakeSleeper sleeper;
  AgentOptions o;
  o.catalog_path = storage::CatalogPath(root);
  SyncAgent agent(o, store, clock, sleeper, PosixFileSystem::Instance(), nullptr);
  auto r = agent.SyncPending();
  ASSERT_TRUE(r.ok()) << r.status().ToString();

  outage.id = *oid;
  outage.outage_end = T("2025-03-10T13:25:00Z");
  Ok(cat.UpdateOutage(outage));
  mig.id = *mid;
  mig.event_status = "completed";
  mig.event_end = T("2025-03-10T13:05:00Z");
  mig.validation_results = R"({"continuity":"ok","mismatches":0})";
  Ok(cat.UpdateMigrationEvent(mig));
  Ok(cat.DeleteTickFile(4294967295u, TickType::kAllLast, T("2025-03-09T13:00:00Z"), 1));
  Ok(cat.RecomputeDailyStats(4294967295u, TickType::kAllLast, "2025-03-09"));
  session.session_end = T("2025-03-10T14:00:00Z");
  session.status = catalog::SessionStatus::kCompleted;
  session.termination_reason = "clean stop";
  Ok(cat.UpdateSession(session));
  r = agent.SyncPending();
  ASSERT_TRUE(r.ok()) << r.status().ToString();

  auto central = store.CountRows("production-api");
  ASSERT_TRUE(central.ok());
  auto reader = CatalogReader::Open(o.catalog_path);
  EXPECT_EQ(*central, *(*reader)->CountRows());
  EXPECT_EQ((*central)["tick_files"], 1);
  EXPECT_EQ((*central)["daily_tick_stats"], 1);

  EXPECT_EQ(db->Rows("SELECT contract_id, file_path, status, compression, message_count, min_price, max_price, "
                     "hour_bucket, start_time FROM tick_files"),
            (std::vector<std::string>{"4294967295|protobuf/4294967295/all_last/2025/03/10/13_ticks.pb.lz4|sealed|lz4|"
                                      "60000|229.95|0.30000000000000004|2025-03-10 13:00:00+00|"
                                      "2025-03-10 13:00:00.285+00"}));
  EXPECT_EQ(db->Rows("SELECT status, session_end, termination_reason, config_snapshot->'tracked' "
                     "FROM collection_sessions"),
            (std::vector<std::string>{"completed|2025-03-10 14:00:00+00|clean stop|[711280073]"}));
  EXPECT_EQ(db->Rows("SELECT tick_types FROM session_contracts"), (std::vector<std::string>{"{bid_ask,mid_point}"}));
  EXPECT_EQ(db->Rows("SELECT outage_end FROM outages"), (std::vector<std::string>{"2025-03-10 13:25:00+00"}));
  EXPECT_EQ(db->Rows("SELECT reason, count FROM reject_counts"), (std::vector<std::string>{"bad_json|2"}));
  EXPECT_EQ(db->Rows("SELECT event_status, contracts_migrated, validation_results->>'continuity', "
                     "source_server_id IS NULL, target_server_id IS NOT NULL FROM migration_events"),
            (std::vector<std::string>{"completed|{711280073,4294967295}|ok|t|t"}));
  EXPECT_EQ(db->Rows("SELECT symbol, exchange, tracked, tick_types FROM contracts"),
            (std::vector<std::string>{"MNQ|CME|t|{bid_ask}"}));
  EXPECT_EQ(db->One("SELECT raw_message FROM stream_events"),
            "{\"type\":\"error\",\"data\":{\"code\":10197,\"message\":\"bad\xEF\xBF\xBD\"}}");
  // The session listed 711280073 but stored no tick of it (its outage included): no data all hour.
  EXPECT_EQ(db->Rows("SELECT gap_start, gap_end, cause FROM "
                     "collection_gaps(711280073, '2025-03-10 13:00+00', '2025-03-10 14:00+00')"),
            (std::vector<std::string>{"2025-03-10 13:00:00+00|2025-03-10 14:00:00+00|upstream_outage"}));
}

}  // namespace
}  // namespace ibr::sync::testing
