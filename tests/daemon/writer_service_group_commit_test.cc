// Group commit (issue 14): POST batches queued while the writer is busy are stored together
// and made durable by ONE fdatasync per touched file, each then answered with its own ack;
// when the group's write fails, every batch of it is refused and none of its ticks is kept
// (a client that resends as told stores each tick exactly once).
#include <atomic>
#include <future>
#include <thread>

#include "daemon_test_util.h"
#include "support/forwarding_file_system.h"

namespace ibr::testing {
namespace {

// The fixture's fault-injecting file system, counting fdatasyncs of tick files;
// while armed, the first such fdatasync waits until Release() — the writer held
// inside a flush while producers queue their batches.
class SyncGateFileSystem final : public ForwardingFileSystem {
 public:
  explicit SyncGateFileSystem(FileSystem& base) : ForwardingFileSystem(base) {}

  TestGate& gate() { return gate_; }
  int tick_syncs() { return tick_syncs_.load(); }
  void BeforeSync(const std::string& path) {
    if (!path.ends_with("_ticks.pb")) return;
    gate_.Pass();
    ++tick_syncs_;
  }

  Result<std::unique_ptr<WritableFile>> OpenAppend(const std::string& p) override { return Wrap(p, base_.OpenAppend(p)); }
  Result<std::unique_ptr<WritableFile>> OpenTruncate(const std::string& p) override {
    return Wrap(p, base_.OpenTruncate(p));
  }

 private:
  class SyncCountingFile final : public ForwardingWritableFile {
   public:
    SyncCountingFile(SyncGateFileSystem& fs, std::string path, std::unique_ptr<WritableFile> f)
        : ForwardingWritableFile(std::move(f)), fs_(fs), path_(std::move(path)) {}
    Status Sync() override {
      fs_.BeforeSync(path_);
      return f_->Sync();
    }

   private:
    SyncGateFileSystem& fs_;
    std::string path_;
  };
  Result<std::unique_ptr<WritableFile>> Wrap(const std::string& p, Result<std::unique_ptr<WritableFile>> f) {
    if (!f.ok()) return f.status();
    return std::unique_ptr<WritableFile>(std::make_unique<SyncCountingFile>(*this, p, std::move(f).value()));
  }

  TestGate gate_;
  std::atomic<int> tick_syncs_{0};
};

class GroupCommitTest : public WriterServiceFixture {
 protected:
  static constexpr int kProducers = 8;
  GroupCommitTest() : gate_(fs_) {}
  ~GroupCommitTest() override {
    gate_.gate().Release();
    for (auto& t : producers_) t.join();
    service_.reset();
  }
  void StartGateService() {
    auto o = Options();
    o.ingest_timeout_ms = 20'000;  // a writer stuck at the gate fails the test instead of hanging it
    o.command_timeout_ms = 20'000;
    auto s = daemon::WriterService::Start(Config(), gate_, clock_, std::move(o));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    service_ = std::move(s.value());
  }
  std::string ProducerBatch(int p) {
    std::string body;
    for (int i = 0; i < 10; ++i) {
      body += QuoteLine(kAapl, T("2025-03-10T14:00:01Z") + p * 1000 + i, 200 + p) + "\n";
    }
    return body + "{not json\n";
  }
  // Holds the writer in the flush of a first batch, queues kProducers batches
  // from as many threads, waits (deadline) until all are queued.
  void QueueGroupBehindTheGate() {
    gate_.gate().Arm();
    first_ = std::async(std::launch::async, [this] {
      return service_->IngestBatch(QuoteLine(kAapl, T("2025-03-10T14:00:00Z"), 100) + "\n");
    });
    ASSERT_TRUE(gate_.gate().WaitHeld());
    for (int p = 0; p < kProducers; ++p) {
      auto promise = std::make_shared<std::promise<Result<daemon::IngestAck>>>();
      results_.push_back(promise->get_future());
      producers_.emplace_back([this, p, promise] { promise->set_value(service_->IngestBatch(ProducerBatch(p))); });
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (service_->Status().queue_depth < static_cast<std::size_t>(kProducers) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    ASSERT_EQ(service_->Status().queue_depth, static_cast<std::size_t>(kProducers));
  }

  SyncGateFileSystem gate_;
  std::future<Result<daemon::IngestAck>> first_;
  std::vector<std::future<Result<daemon::IngestAck>>> results_;
  std::vector<std::thread> producers_;
};

TEST_F(GroupCommitTest, BatchesQueuedTogetherShareOneFdatasyncAndEachGetsItsOwnAck) {
  StartGateService();
  QueueGroupBehindTheGate();
  const int syncs_before = gate_.tick_syncs();  // 0: the first batch's sync is held
  gate_.gate().Release();
  ASSERT_TRUE(first_.get().ok());
  for (auto& r : results_) {
    auto ack = r.get();
    ASSERT_TRUE(ack.ok()) << ack.status().ToString();
    EXPECT_EQ(ack->accepted, 10);
    EXPECT_EQ(ack->rejected, 1);
    EXPECT_EQ(ack->reasons, (std::map<std::string, std::int64_t>{{"bad_json", 1}}));
    EXPECT_EQ(ack->files, 1);
  }
  // The first batch's sync, then ONE for the whole group (all its batches write
  // the same hour file); one per batch before group commit.
  EXPECT_EQ(gate_.tick_syncs() - syncs_before, 2);
  EXPECT_EQ(service_->Status().ticks_stored, 1u + 10u * kProducers);
  ASSERT_TRUE(service_->Barrier().ok());
  EXPECT_EQ(ReadAllTicks(Config().storage_path).size(), 1u + 10u * kProducers);
}

TEST_F(GroupCommitTest, AFailedGroupRefusesEveryBatchOfItAndKeepsNoneOfItsTicks) {
  StartGateService();
  QueueGroupBehindTheGate();
  fs_.FailSyncs(true);  // the held fdatasync, and the group's, fail
  gate_.gate().Release();
  EXPECT_FALSE(first_.get().ok());
  for (auto& r : results_) {
    auto ack = r.get();
    ASSERT_FALSE(ack.ok());
    EXPECT_NE(ack.status().message().find("nothing of it was kept"), std::string::npos) << ack.status().ToString();
  }
  fs_.FailSyncs(false);
  AdvanceAndSync(kUsPerSecond);  // the probe flush: writes succeed again
  EXPECT_TRUE(ReadAllTicks(Config().storage_path).empty());
  EXPECT_EQ(service_->Status().ticks_stored, 0u);
  // Resent as told, the group is stored exactly once.
  for (int p = 0; p < kProducers; ++p) ASSERT_TRUE(service_->IngestBatch(ProducerBatch(p)).ok());
  EXPECT_EQ(ReadAllTicks(Config().storage_path).size(), 10u * kProducers);
}

}  // namespace
}  // namespace ibr::testing
