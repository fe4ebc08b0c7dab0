// A catalog lost and rebuilt from its files (rebuild-catalog: a new generation,
// local ids from 1 again) keeps the instance's central history, closes the
// session the lost catalog left active, and its reconstructed session adds
// only what the old history does not span. Real files, real PostgreSQL.
#include <gtest/gtest.h>

#include <filesystem>

#include "common/file_system.h"
#include "common/time_text.h"
#include "fake_sleeper.h"
#include "pg_central_store.h"
#include "pg_test_db.h"
#include "storage/catalog_rebuild.h"
#include "storage/layout.h"
#include "storage/store.h"
#include "sync_agent.h"
#include "test_catalog.h"

namespace ibr::sync::testing {
namespace {

using Rows = std::vector<std::string>;
constexpr std::uint32_t kMnq = 711280073;

TimeUs OnDay(const std::string& hhmm) { return ParseIsoTimestamp("2025-03-10T" + hhmm + ":00Z").value(); }


// One bid_ask tick every 10 minutes in [from, to].
void WriteTicks(storage::Store& store, TimeUs from, TimeUs to) {
  for (TimeUs t = from; t <= to; t += 600 * kUsPerSecond) {
    Tick tick;
    tick.timestamp_us = t;
    tick.contract_id = kMnq;
    tick.tick_type = TickType::kBidAsk;
    tick.bid_price = 21000.25;
    tick.ask_price = 21000.5;
    tick.bid_size = tick.ask_size = 1;
    Ok(store.writer().Append(tick));
  }
  Ok(store.writer().Flush(false).status());
}

// An active session collecting kMnq's bid_ask from `start`.
catalog::SessionRow StartSession(storage::Store& store, TimeUs start) {
  catalog::SessionRow s;
  s.server_instance_id = store.instance().id;
  s.session_start = start;
  s.config_snapshot = R"({"source":"sse","tracked_contracts":[{"contract_id":711280073}]})";  // live upstream
  auto id = store.catalog().InsertSession(s);
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  s.id = id.ok() ? *id : 0;
  Ok(store.catalog().UpsertSessionContract({s.id, kMnq, "MNQ", {TickType::kBidAsk}, 0, 0, {}, {}}));
  return s;
}

class RebuiltCatalog : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (!db_) return;
    options_.root = TempDir("rebuilt");
    options_.instance_name = "production-rebuilt";
    store_ = std::make_unique<PgCentralStore>(db_->sync_dsn());
  }
  void Sync(bool full_resend = false) {
    AgentOptions o;
    o.catalog_path = storage::CatalogPath(options_.root);
    SyncAgent agent(o, *store_, clock_, sleeper_, PosixFileSystem::Instance(), nullptr);
    auto r = agent.SyncPending(full_resend);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  Rows Q(const std::string& sql) { return db_->Rows(sql); }

  std::unique_ptr<PgCentralStore> store_;
  storage::StoreOptions options_;
  ManualClock clock_{OnDay("13:00")};
  FakeSleeper sleeper_;
};

TEST_F(RebuiltCatalog, HistorySurvivesAndIsNotCountedTwice) {
  if (!db_) return;
  std::string generation1;
  {
    auto opened = storage::Store::Open(options_, PosixFileSystem::Instance(), clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    storage::Store& store = **opened;
    catalog::Catalog& cat = store.catalog();
    generation1 = cat.generation_id();
    // Session 1: 13:00-15:00, completed. Session 2: from 16:00, still active when the catalog is lost.
    catalog::SessionRow s1 = StartSession(store, OnDay("13:00"));
    WriteTicks(store, OnDay("13:00"), OnDay("14:50"));
    s1.session_end = OnDay("15:00");
    s1.status = catalog::SessionStatus::kCompleted;
    Ok(cat.UpdateSession(s1));
    StartSession(store, OnDay("16:00"));
    WriteTicks(store, OnDay("16:00"), OnDay("16:50"));
    clock_.Set(OnDay("16:55"));
    Sync();
    // Recorded after the last sync, then the catalog is lost: only the files know.
    WriteTicks(store, OnDay("17:00"), OnDay("17:20"));
    clock_.Set(OnDay("18:10"));
    ASSERT_TRUE(store.SealDue().ok());
  }
  EXPECT_EQ(Q("SELECT local_id, status, session_end FROM collection_sessions ORDER BY local_id"),
            (Rows{"1|completed|2025-03-10 15:00:00+00", "2|active|∅"}));

  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(storage::CatalogPath(options_.root) + suffix);
  auto rebuilt = storage::RebuildCatalog(options_, PosixFileSystem::Instance(), clock_);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().ToString();
  ASSERT_TRUE(rebuilt->catalog_was_missing);
  ASSERT_EQ(rebuilt->reconstructed_session_id, 1);  // the same local id as the lost session 1
  Sync();

  // Both generations' sessions are kept; the lost catalog's active session ended at its last tick
  // known centrally (the 16:50 tick of its synced file).
  EXPECT_EQ(Q("SELECT cg.id, cs.local_id, cs.session_kind, cs.status, cs.session_start, cs.session_end "
              "FROM collection_sessions cs JOIN catalog_generations cg USING (server_instance_id, catalog_generation) "
              "ORDER BY cg.id, cs.local_id"),
            (Rows{"1|1|run|completed|2025-03-10 13:00:00+00|2025-03-10 15:00:00+00",
                  "1|2|run|failed|2025-03-10 16:00:00+00|2025-03-10 16:50:00+00",
                  "2|1|reconstructed|completed|2025-03-10 13:00:00+00|2025-03-10 17:20:00+00"}));
  EXPECT_EQ(Q("SELECT count(*) FROM session_contracts"), (Rows{"3"}));
  EXPECT_EQ(Q("SELECT catalog_generation = '" + generation1 + "' FROM catalog_generations ORDER BY id"),
            (Rows{"t", "f"}));

  // The reconstructed session covers only what the old generation does not span (16:50-17:20):
  // no instant twice, the 15:00-16:00 gap stays a gap.
  EXPECT_EQ(Q("SELECT coverage_start, coverage_end, status FROM "
              "contract_timeline(711280073, '2025-03-10 12:00+00', '2025-03-10 18:00+00')"),
            (Rows{"2025-03-10 13:00:00+00|2025-03-10 15:00:00+00|completed",
                  "2025-03-10 16:00:00+00|2025-03-10 16:50:00+00|failed",
                  "2025-03-10 16:50:00+00|2025-03-10 17:20:00+00|completed"}));
  EXPECT_EQ(Q("SELECT gap_start, gap_end, cause FROM "
              "collection_gaps(711280073, '2025-03-10 12:00+00', '2025-03-10 18:00+00')"),
            (Rows{"2025-03-10 12:00:00+00|2025-03-10 13:00:00+00|no_session",
                  "2025-03-10 15:00:00+00|2025-03-10 16:00:00+00|no_session",
                  "2025-03-10 17:20:00+00|2025-03-10 18:00:00+00|no_session"}));
  auto at = [&](const std::string& t) {
    return Q("SELECT session_kind FROM servers_at(711280073, '2025-03-10 " + t +
             "+00') s JOIN collection_sessions cs ON cs.id = s.collection_session_id");
  };
  EXPECT_EQ(at("14:00"), (Rows{"run"}));
  EXPECT_EQ(at("15:30"), Rows{});
  EXPECT_EQ(at("17:10"), (Rows{"reconstructed"}));

  // The files mirror the current catalog; the counts of the current generation equal the catalog's.
  auto counts = store_->CountRows("production-rebuilt");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)["collection_sessions"], 1);
  EXPECT_EQ((*counts)["tick_files"], 4);  // hours 13, 14, 16, 17

  // A resync of the same generation and a plain pass change nothing.
  const Rows before = Q("SELECT 'sessions', count(*) FROM collection_sessions UNION ALL "
                        "SELECT 'contracts', count(*) FROM session_contracts UNION ALL "
                        "SELECT 'files', count(*) FROM tick_files UNION ALL "
                        "SELECT 'generations', count(*) FROM catalog_generations");
  Sync(/*full_resend=*/true);
  Sync();
  EXPECT_EQ(Q("SELECT 'sessions', count(*) FROM collection_sessions UNION ALL "
              "SELECT 'contracts', count(*) FROM session_contracts UNION ALL "
              "SELECT 'files', count(*) FROM tick_files UNION ALL "
              "SELECT 'generations', count(*) FROM catalog_generations"),
            before);
  EXPECT_EQ(before, (Rows{"sessions|3", "contracts|3", "files|4", "generations|2"}));
}

}  // namespace
}  // namespace ibr::sync::testing
