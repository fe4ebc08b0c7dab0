// SyncAgent against the real PostgreSQL (a fresh database per test, reached
// through a TcpProxy that plays the dead network), on simulated time:
// batching, re-sends, retry with backoff, logging once per state change,
// stopping, the state file.
#include "sync_agent.h"

#include <gtest/gtest.h>

#include "common/file_system.h"
#include "common/time_text.h"
#include "fake_sleeper.h"
#include "pg_central_store.h"
#include "pg_test_db.h"
#include "storage/layout.h"
#include "tcp_proxy.h"
#include "test_catalog.h"

namespace ibr::sync::testing {
namespace {

class SyncAgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto owner = OwnerDsnOrSkip();
    if (!owner) GTEST_SKIP() << "no PostgreSQL";
    db_ = PgTestDb::Create(*owner);
    const auto [host, port] = TcpProxy::HostPort(db_->sync_dsn());
    proxy_ = std::make_unique<TcpProxy>(host, port);
    ASSERT_NE(proxy_->port(), 0) << "the test proxy cannot listen";
    store_ = std::make_unique<PgCentralStore>(proxy_->Through(db_->sync_dsn()));
    root_ = TempDir("agent");
    cat_ = TestCatalog::Create(root_, {"production-h1"});
    auto s = cat_->AddSession("2025-03-10T13:00:00Z", std::string("2025-03-10T15:00:00Z"), "completed");
    cat_->AddSessionContract(s, 711280073, "MNQ");
    cat_->AddHourlyFiles(711280073, "2025-03-10T13:00:00Z", 2, {"bid_ask", "last"});
  }
  std::unique_ptr<SyncAgent> MakeAgent(std::size_t batch_rows = 5000) {
    AgentOptions o;
    o.catalog_path = cat_->catalog_path();
    o.state_path = storage::SyncStatePath(root_);
    o.batch_rows = batch_rows;
    return std::make_unique<SyncAgent>(o, *store_, clock_, sleeper_, PosixFileSystem::Instance(),
                                       [this](const std::string& m) { logs_.push_back(m); }, [] { return 0.5; });
  }
  int LogsContaining(const std::string& s) const {
    int n = 0;
    for (const auto& l : logs_) n += l.find(s) != std::string::npos;
    return n;
  }
  void ExpectCentralEqualsCatalog() {
    auto central = store_->CountRows("production-h1");
    ASSERT_TRUE(central.ok());
    EXPECT_EQ(*central, cat_->Counts());
  }

  std::unique_ptr<PgTestDb> db_;
  std::unique_ptr<TcpProxy> proxy_;
  std::unique_ptr<PgCentralStore> store_;
  std::string root_;
  std::unique_ptr<TestCatalog> cat_;
  ManualClock clock_{ParseIsoTimestamp("2025-03-10T16:00:00Z").value()};
  FakeSleeper sleeper_;
  std::vector<std::string> logs_;
};

TEST_F(SyncAgentTest, SendsEverythingInBatchesThenNothing) {
  auto agent = MakeAgent(2);
  auto r = agent->SyncPending();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->position.change_no, cat_->MaxChangeNo());
  EXPECT_EQ(r->position.generation, cat_->generation());
  EXPECT_GE(r->batches, 4);
  ExpectCentralEqualsCatalog();
  auto again = agent->SyncPending();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->batches, 0);
  EXPECT_EQ(again->rows, 0);
}

TEST_F(SyncAgentTest, ANewGenerationIsResentAndStaleRowsSwept) {
  auto agent = MakeAgent();
  ASSERT_TRUE(agent->SyncPending().ok());
  // The catalog is lost and rebuilt: one reconstructed session, the files of one hour.
  cat_ = TestCatalog::Create(root_, {"production-h1"});
  auto s = cat_->AddSession("2025-03-10T13:00:00Z", std::string("2025-03-10T14:00:00Z"), "completed", "reconstructed");
  cat_->AddSessionContract(s, 711280073, "MNQ");
  cat_->AddHourlyFiles(711280073, "2025-03-10T13:00:00Z", 1, {"bid_ask"});
  auto r = agent->SyncPending();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->position.generation, cat_->generation());
  EXPECT_EQ(r->position.pass_no, 2);
  EXPECT_FALSE(r->position.resend_pending);
  ExpectCentralEqualsCatalog();
}

TEST_F(SyncAgentTest, ResyncResendsWithoutDuplicates) {
  auto agent = MakeAgent();
  ASSERT_TRUE(agent->SyncPending().ok());
  auto r = agent->SyncPending(/*full_resend=*/true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->position.pass_no, 2);
  EXPECT_GT(r->rows, 0);
  ExpectCentralEqualsCatalog();
}

TEST_F(SyncAgentTest, UnreachableStoreIsRetriedWithBackoffAndLoggedOnce) {
  proxy_->SetUp(false);  // the network is down for the first five attempts
  auto agent = MakeAgent(3);
  int sleeps = 0;
  sleeper_.on_sleep = [&](TimeUs) {
    clock_.Advance(kUsPerSecond);
    if (++sleeps == 5) proxy_->SetUp(true);
    if (agent->state().state == "caught_up") sleeper_.Stop();
  };
  agent->Run();
  EXPECT_EQ(LogsContaining("postgres unreachable"), 1);
  EXPECT_EQ(LogsContaining("postgres reachable again, " + std::to_string(cat_->MaxChangeNo() - 0) + " rows behind"), 1)
      << ::testing::PrintToString(logs_);
  ASSERT_GE(sleeper_.waits.size(), 6u);
  // jitter fixed at 0.5: 3/4 of 0.5 s, 1 s, 2 s, 4 s, 8 s; then the poll interval
  EXPECT_EQ(sleeper_.waits[0], 375'000);
  EXPECT_EQ(sleeper_.waits[1], 750'000);
  EXPECT_EQ(sleeper_.waits[4], 6'000'000);
  EXPECT_EQ(sleeper_.waits[5], kUsPerSecond);
  ExpectCentralEqualsCatalog();
  auto state = ReadSyncState(PosixFileSystem::Instance(), storage::SyncStatePath(root_));
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_EQ(state->state, "stopped");
  EXPECT_EQ(state->rows_behind, 0);
  EXPECT_EQ(state->position, cat_->MaxChangeNo());
  EXPECT_FALSE(state->last_error.has_value());
}

TEST_F(SyncAgentTest, StateFileShowsLagAndTheLastErrorWithoutSecrets) {
  auto agent = MakeAgent();
  proxy_->SetUp(false);
  auto r = agent->RunPass();
  ASSERT_FALSE(r.ok());
  proxy_->SetUp(true);
  auto state = ReadSyncState(PosixFileSystem::Instance(), storage::SyncStatePath(root_));
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->state, "unreachable");
  ASSERT_TRUE(state->last_error.has_value());
  // The error names the database it could not reach, with the password masked.
  EXPECT_EQ(state->last_error->find(kSyncPassword), std::string::npos) << *state->last_error;
  EXPECT_NE(state->last_error->find("password=*****"), std::string::npos) << *state->last_error;
  ASSERT_TRUE(agent->RunPass().ok());
  state = ReadSyncState(PosixFileSystem::Instance(), storage::SyncStatePath(root_));
  EXPECT_EQ(state->state, "caught_up");
  EXPECT_EQ(state->rows_behind, 0);
  EXPECT_EQ(state->seconds_behind, 0.0);
  EXPECT_EQ(state->last_success, clock_.Now());
  // A change made an hour (simulated) ago, and the store away: one row, an hour behind.
  cat_->Exec("INSERT INTO reject_counts (collection_session_id, reason, count, updated_at) "
             "VALUES (1, 'bad_json', 3, '2025-03-10T15:00:00.000000Z')");
  proxy_->SetUp(false);
  EXPECT_FALSE(agent->RunPass().ok());
  state = ReadSyncState(PosixFileSystem::Instance(), storage::SyncStatePath(root_));
  EXPECT_EQ(state->state, "unreachable");
  EXPECT_EQ(state->rows_behind, 1);
  EXPECT_EQ(state->seconds_behind, 3600.0);
}

TEST_F(SyncAgentTest, StopLetsTheBatchInFlightFinish) {
  auto agent = MakeAgent(2);
  sleeper_.Stop();
  auto r = agent->SyncPending();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->batches, 0);
  agent->Run();  // returns at once
  EXPECT_EQ(agent->state().state, "stopped");
}

TEST_F(SyncAgentTest, NoCatalogYetMeansWaitingNotFailing) {
  AgentOptions o;
  o.catalog_path = TempDir("empty") + "/metadata/catalog.sqlite";
  SyncAgent agent(o, *store_, clock_, sleeper_, PosixFileSystem::Instance(),
                  [this](const std::string& m) { logs_.push_back(m); });
  int turns = 0;
  sleeper_.on_sleep = [&](TimeUs) {
    if (++turns == 3) sleeper_.Stop();
  };
  agent.Run();
  EXPECT_EQ(LogsContaining("waiting: no catalog"), 1);
  EXPECT_EQ(sleeper_.waits, (std::vector<TimeUs>{kUsPerSecond, kUsPerSecond, kUsPerSecond}));
}

}  // namespace
}  // namespace ibr::sync::testing
