// Exactly once under faults, against a real PostgreSQL: the same catalog
// synced twice, a failure inside the batch transaction, kill -9 of the real
// ib-sync between and inside batches, PostgreSQL stopped mid-sync and started
// again, a rebuilt catalog (new generation), deletions. After each, the
// central rows equal the catalog's (the natural-key constraints make a
// duplicate impossible; equal counts show nothing is missing or left over).
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include "common/file_system.h"
#include "common/time_text.h"
#include "fake_sleeper.h"
#include "pg_central_store.h"
#include "pg_test_db.h"
#include "sync_state.h"
#include "sync_agent.h"
#include "test_catalog.h"

extern char** environ;

namespace ibr::sync::testing {
namespace {

pid_t Spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0) << args[0];
  return pid;
}

int WaitExit(pid_t pid) {
  int st = 0;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

// Polls `cond` every 20 ms, up to `seconds` (a guard against a hung test, not a timing assertion).
bool WaitFor(const std::function<bool()>& cond, int seconds = 120) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

const std::string kSyncBinary = std::string(IBR_BINARY_DIR) + "/sync/ib-sync";

class FaultTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (!db_) return;
    cat_ = TestCatalog::Create(TempDir("fault"), {"production-h1"});
    auto s = cat_->AddSession("2025-03-10T13:00:00Z", std::nullopt, "active");
    cat_->AddSessionContract(s, 711280073, "MNQ");
    cat_->AddOutage(s, 711280073, std::nullopt, "2025-03-10T14:00:00Z", std::string("2025-03-10T14:05:00Z"));
    cat_->AddManyFiles(711280073, 2000);
    cat_->AddHourlyFiles(265598, "2025-03-10T13:00:00Z", 3, {"bid_ask", "last"});
  }
  std::unique_ptr<SyncAgent> Agent(CentralStore& store, std::size_t batch_rows = 500) {
    AgentOptions o;
    o.catalog_path = cat_->catalog_path();
    o.batch_rows = batch_rows;
    return std::make_unique<SyncAgent>(o, store, clock_, sleeper_, PosixFileSystem::Instance(),
                                       [this](const std::string& m) { logs_.push_back(m); }, [] { return 0.5; });
  }
  std::map<std::string, std::int64_t> Central() {
    PgCentralStore store(db_->sync_dsn());
    auto c = store.CountRows("production-h1");
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : std::map<std::string, std::int64_t>{};
  }
  std::int64_t CentralPosition() {
    auto v = db_->One("SELECT last_change_no FROM sync_positions");
    return v.empty() ? 0 : std::stoll(v);
  }
  std::int64_t CatalogFilesUpTo(std::int64_t change_no) {
    auto st = cat_->db().Prepare("SELECT count(*) FROM tick_files WHERE change_no <= ?1");
    st->Bind(1, change_no);
    st->Step();
    return st->Int(0);
  }
  int Logs(const std::string& s) const {
    int n = 0;
    for (const auto& l : logs_) n += l.find(s) != std::string::npos;
    return n;
  }

  std::unique_ptr<TestCatalog> cat_;
  ManualClock clock_{ParseIsoTimestamp("2025-03-10T16:00:00Z").value()};
  FakeSleeper sleeper_;
  std::vector<std::string> logs_;
};

#define SKIP_WITHOUT_PG() \
  if (!db_) return

TEST_F(FaultTest, TheSameCatalogSyncedTwiceChangesNothing) {
  SKIP_WITHOUT_PG();
  PgCentralStore store(db_->sync_dsn());
  auto agent = Agent(store);
  auto first = agent->SyncPending();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const std::string applied = db_->One("SELECT rows_applied FROM sync_positions");
  auto second = agent->SyncPending();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->batches, 0);
  EXPECT_EQ(db_->One("SELECT rows_applied FROM sync_positions"), applied);
  EXPECT_EQ(Central(), cat_->Counts());
  // a second agent process from scratch (its memory empty) agrees
  PgCentralStore store2(db_->sync_dsn());
  auto again = Agent(store2)->SyncPending();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->batches, 0);
  EXPECT_EQ(Central(), cat_->Counts());
}

TEST_F(FaultTest, AFailureInsideTheTransactionLeavesTheLastCommittedBatch) {
  SKIP_WITHOUT_PG();
  PgCentralStore store(db_->sync_dsn());
  int file_steps = 0;
  store.SetFaultHookForTesting([&](const std::string& step) {
    if (step == "tick_files" && ++file_steps == 2) throw std::runtime_error("injected crash inside the batch");
  });
  auto agent = Agent(store);
  auto r = agent->SyncPending();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("injected crash"), std::string::npos);
  const std::int64_t pos = CentralPosition();
  EXPECT_GT(pos, 0);
  EXPECT_EQ(Central()["tick_files"], CatalogFilesUpTo(pos));
  store.SetFaultHookForTesting(nullptr);
  ASSERT_TRUE(agent->SyncPending().ok());
  EXPECT_EQ(Central(), cat_->Counts());
  EXPECT_EQ(CentralPosition(), cat_->MaxChangeNo());
}

TEST_F(FaultTest, DeletionsTravelAsTombstones) {
  SKIP_WITHOUT_PG();
  PgCentralStore store(db_->sync_dsn());
  auto agent = Agent(store);
  ASSERT_TRUE(agent->SyncPending().ok());
  cat_->Exec("DELETE FROM tick_files WHERE contract_id = 711280073 AND hour_bucket < '2024-01-02'");  // retention
  cat_->Exec("DELETE FROM outages");
  cat_->Exec("DELETE FROM session_contracts");
  cat_->Exec("DELETE FROM collection_sessions");
  ASSERT_TRUE(agent->SyncPending().ok());
  auto central = Central();
  EXPECT_EQ(central, cat_->Counts());
  EXPECT_EQ(central["tick_files"], 2000 - 24 + 6);
  EXPECT_EQ(central["collection_sessions"], 0);
}

TEST_F(FaultTest, ARebuiltCatalogIsResentWithoutDuplicates) {
  SKIP_WITHOUT_PG();
  PgCentralStore store(db_->sync_dsn());
  auto agent = Agent(store);
  ASSERT_TRUE(agent->SyncPending().ok());
  const std::string old_generation = cat_->generation();
  // The catalog is lost: rebuilt from the files that are left, one reconstructed session.
  cat_ = TestCatalog::Create(cat_->root(), {"production-h1"});
  auto s = cat_->AddSession("2024-01-01T00:00:00Z", std::string("2024-01-13T00:00:00Z"), "completed",
                            "reconstructed", "catalog rebuilt from files");
  cat_->AddSessionContract(s, 711280073, "MNQ", "[\"bid_ask\"]");
  cat_->AddManyFiles(711280073, 300);
  ASSERT_NE(cat_->generation(), old_generation);
  auto r = agent->SyncPending();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->position.pass_no, 2);
  EXPECT_EQ(Central(), cat_->Counts());
  EXPECT_EQ(db_->Rows("SELECT catalog_generation, pass_no, resend_pending FROM sync_positions"),
            (std::vector<std::string>{cat_->generation() + "|2|f"}));
  EXPECT_EQ(db_->One("SELECT count(*) FROM tick_files WHERE sync_pass <> 2"), "0");
  // and `resync` of the same catalog: a third pass, still the same rows
  ASSERT_TRUE(agent->SyncPending(/*full_resend=*/true).ok());
  EXPECT_EQ(Central(), cat_->Counts());
  EXPECT_EQ(db_->One("SELECT pass_no FROM sync_positions"), "3");
}

TEST_F(FaultTest, KillMinus9BetweenBatchesLosesAndDuplicatesNothing) {
  SKIP_WITHOUT_PG();
  pid_t pid = Spawn({kSyncBinary, "run", "--storage", cat_->root(), "--dsn", db_->sync_dsn(), "--batch-rows", "20",
                     "--interval", "100ms"});
  ASSERT_TRUE(WaitFor([&] { return CentralPosition() > 0; })) << "ib-sync made no progress";
  kill(pid, SIGKILL);
  EXPECT_EQ(WaitExit(pid), 128 + SIGKILL);
  const std::int64_t pos = CentralPosition();
  EXPECT_LT(pos, cat_->MaxChangeNo()) << "ib-sync finished before the kill; the test proves less";
  EXPECT_EQ(Central()["tick_files"], CatalogFilesUpTo(pos));

  pid = Spawn({kSyncBinary, "once", "--storage", cat_->root(), "--dsn", db_->sync_dsn()});
  EXPECT_EQ(WaitExit(pid), 0);
  EXPECT_EQ(Central(), cat_->Counts());
  EXPECT_EQ(CentralPosition(), cat_->MaxChangeNo());
}

TEST_F(FaultTest, KillMinus9InsideABatchCommitsNothingOfIt) {
  SKIP_WITHOUT_PG();
  // Hold a lock that stops the batch at its tick_files upsert, after it wrote the instance and session.
  pqxx::connection locker(db_->owner_dsn());
  pqxx::work hold(locker);
  hold.exec0("LOCK TABLE tick_files IN SHARE MODE");
  pid_t pid = Spawn({kSyncBinary, "once", "--storage", cat_->root(), "--dsn", db_->sync_dsn()});
  // (pg_locks, not pg_stat_activity: the owner may not see other roles' wait events)
  const std::string others_on_files =
      "SELECT count(*) FROM pg_locks WHERE relation = 'tick_files'::regclass AND pid <> pg_backend_pid() "
      "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
  ASSERT_TRUE(WaitFor([&] { return db_->One(others_on_files + " AND NOT granted") == "1"; }))
      << "ib-sync never reached the tick_files upsert";
  kill(pid, SIGKILL);
  EXPECT_EQ(WaitExit(pid), 128 + SIGKILL);
  hold.abort();
  // Its backend takes the lock, then finds its client gone and rolls back.
  ASSERT_TRUE(WaitFor([&] { return db_->One(others_on_files) == "0"; }));
  EXPECT_EQ(db_->One("SELECT count(*) FROM server_instances"), "0");
  EXPECT_EQ(db_->One("SELECT count(*) FROM collection_sessions"), "0");
  EXPECT_EQ(db_->One("SELECT count(*) FROM sync_positions"), "0");

  pid = Spawn({kSyncBinary, "once", "--storage", cat_->root(), "--dsn", db_->sync_dsn()});
  EXPECT_EQ(WaitExit(pid), 0);
  EXPECT_EQ(Central(), cat_->Counts());
}

// Counts batches and stops the database before the Nth (PostgreSQL going away mid-sync).
class StopDatabaseBefore final : public CentralStore {
 public:
  StopDatabaseBefore(CentralStore& inner, int nth, std::function<void()> stop)
      : inner_(inner), nth_(nth), stop_(std::move(stop)) {}
  Result<SyncPosition> LoadPosition(const std::string& n) override { return inner_.LoadPosition(n); }
  Result<SyncPosition> ApplyBatch(const Batch& b) override {
    if (++calls_ == nth_) stop_();
    return inner_.ApplyBatch(b);
  }
  Result<std::map<std::string, std::int64_t>> CountRows(const std::string& n) override { return inner_.CountRows(n); }

 private:
  CentralStore& inner_;
  int nth_, calls_ = 0;
  std::function<void()> stop_;
};

TEST_F(FaultTest, PostgresStoppedMidSyncAndStartedAgain) {
  SKIP_WITHOUT_PG();
  // Its own cluster, so stopping it disturbs no other test.
  const OwnPgCluster cluster = StartOwnPgCluster();
  ASSERT_FALSE(cluster.dir.empty()) << cluster.output;
  const std::string& dir = cluster.dir;
  {
    auto db = PgTestDb::Create(cluster.dsn);
    PgCentralStore pg(db->sync_dsn());
    bool stopped = false;
    StopDatabaseBefore store(pg, 4, [&] {
      PgServerScript("pause " + dir);
      stopped = true;
    });
    auto agent = Agent(store, 100);
    int backoffs = 0;
    sleeper_.on_sleep = [&](TimeUs) {
      clock_.Advance(kUsPerSecond);
      if (agent->state().state == "unreachable" && ++backoffs == 3) PgServerScript("resume " + dir);
      if (agent->state().state == "caught_up") sleeper_.Stop();
    };
    agent->Run();
    EXPECT_TRUE(stopped);
    EXPECT_EQ(backoffs, 3);
    EXPECT_EQ(Logs("postgres unreachable"), 1) << ::testing::PrintToString(logs_);
    EXPECT_EQ(Logs("postgres reachable again"), 1) << ::testing::PrintToString(logs_);
    EXPECT_EQ(Logs("rows behind"), 1);
    PgCentralStore check(db->sync_dsn());
    EXPECT_EQ(*check.CountRows("production-h1"), cat_->Counts());
    EXPECT_EQ(db->One("SELECT last_change_no FROM sync_positions"), std::to_string(cat_->MaxChangeNo()));
  }
  PgServerScript("stop " + dir);
}

// PostgreSQL restarted while the agent holds a connection: the log says what happened in our
// words and when it tries again — not libpq's "Could not obtain client encoding: not connected."
// — and the state file tells readers when to expect the next write.
TEST_F(FaultTest, APostgresRestartIsLoggedInOurWordsWithTheRetryDelay) {
  SKIP_WITHOUT_PG();
  const OwnPgCluster cluster = StartOwnPgCluster();
  ASSERT_FALSE(cluster.dir.empty()) << cluster.output;
  const std::string& dir = cluster.dir;
  {
    auto db = PgTestDb::Create(cluster.dsn);
    PgCentralStore pg(db->sync_dsn());
    AgentOptions o;
    o.catalog_path = cat_->catalog_path();
    o.state_path = cat_->root() + "/metadata/sync-state.json";
    SyncAgent agent(o, pg, clock_, sleeper_, PosixFileSystem::Instance(),
                    [this](const std::string& m) { logs_.push_back(m); }, [] { return 0.5; });
    int sleeps = 0;
    bool was_down = false;
    std::optional<SyncState> written;
    sleeper_.on_sleep = [&](TimeUs) {
      clock_.Advance(kUsPerSecond);
      ++sleeps;
      if (sleeps == 1) {
        ASSERT_EQ(agent.state().state, "caught_up");
        auto st = ReadSyncState(PosixFileSystem::Instance(), o.state_path);
        if (st.ok()) written = *st;
        PgServerScript("pause " + dir);  // the server goes down under the open connection
      } else if (agent.state().state == "unreachable" && !was_down) {
        was_down = true;
        PgServerScript("resume " + dir);  // ... and comes back: a restart
      } else if (was_down && agent.state().state == "caught_up") {
        sleeper_.Stop();
      }
      if (sleeps > 50) sleeper_.Stop();
    };
    agent.Run();
    EXPECT_TRUE(was_down);
    EXPECT_EQ(Logs("postgres unreachable: central database connection lost (server restarted?)"), 1)
        << ::testing::PrintToString(logs_);
    EXPECT_EQ(Logs("; reconnecting in 0."), 1) << ::testing::PrintToString(logs_);
    EXPECT_EQ(Logs("client encoding"), 0) << ::testing::PrintToString(logs_);
    EXPECT_EQ(Logs("postgres reachable again"), 1) << ::testing::PrintToString(logs_);
    ASSERT_TRUE(written.has_value());
    EXPECT_EQ(written->poll_interval, kUsPerSecond);
    EXPECT_EQ(written->next_pass_in, kUsPerSecond);
  }
  PgServerScript("stop " + dir);
}

}  // namespace
}  // namespace ibr::sync::testing

namespace ibr::sync::testing {
namespace {

std::string RunCapture(const std::string& cmd, int* rc) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  std::string out;
  char buf[512];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  int st = p ? pclose(p) : -1;
  *rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

TEST_F(FaultTest, SigtermFinishesTheBatchAndExitsZero) {
  SKIP_WITHOUT_PG();
  pid_t pid = Spawn({kSyncBinary, "run", "--storage", cat_->root(), "--dsn", db_->sync_dsn(), "--batch-rows", "20"});
  ASSERT_TRUE(WaitFor([&] { return CentralPosition() > 0; }));
  kill(pid, SIGTERM);
  EXPECT_EQ(WaitExit(pid), 0);
  const std::int64_t pos = CentralPosition();
  EXPECT_EQ(Central()["tick_files"], CatalogFilesUpTo(pos));
  auto state = ReadSyncState(PosixFileSystem::Instance(), cat_->root() + "/metadata/sync-state.json");
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_EQ(state->state, "stopped");
}

TEST_F(FaultTest, CliOnceStatusAndAnUnreachableDatabase) {
  SKIP_WITHOUT_PG();
  int rc = 0;
  std::string out = RunCapture(kSyncBinary + " once --storage " + cat_->root() + " --dsn '" + db_->sync_dsn() + "'", &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("production-h1 at change " + std::to_string(cat_->MaxChangeNo())), std::string::npos) << out;
  out = RunCapture(kSyncBinary + " status --json --storage " + cat_->root() + " --dsn '" + db_->sync_dsn() + "'", &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("\"rows_behind\": 0"), std::string::npos) << out;
  EXPECT_NE(out.find("\"state\": \"caught_up\""), std::string::npos) << out;
  EXPECT_EQ(out.find(kSyncPassword), std::string::npos) << "the password leaked:\n" << out;
  // A database nobody listens on: a clear message, exit 1, no password anywhere.
  const std::string dead = "host=127.0.0.1 port=1 user=ib_sync password=" + std::string(kSyncPassword) + " dbname=x";
  out = RunCapture(kSyncBinary + " once --storage " + cat_->root() + " --dsn '" + dead + "'", &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("postgres unreachable"), std::string::npos) << out;
  EXPECT_EQ(out.find(kSyncPassword), std::string::npos) << out;
  out = RunCapture(kSyncBinary + " status --storage " + cat_->root() + " --dsn '" + dead + "'", &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("unreachable"), std::string::npos) << out;
  EXPECT_EQ(out.find(kSyncPassword), std::string::npos) << out;
  auto text = PosixFileSystem::Instance().ReadFile(cat_->root() + "/metadata/sync-state.json");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->find(kSyncPassword), std::string::npos) << *text;
  EXPECT_NE(text->find("\"unreachable\""), std::string::npos) << *text;
}

}  // namespace
}  // namespace ibr::sync::testing
