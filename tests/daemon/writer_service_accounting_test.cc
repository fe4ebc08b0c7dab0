// WriterService bookkeeping across restarts and failures: after ENOSPC the ticks counted as
// dropped are exactly those not durable (stored, session and per-stream counters agree with
// the files); a contract dropped from IB_STREAM_TRACKED_CONTRACTS is untracked in the catalog
// with a new change number (ib-sync replicates it), and tracked again when it comes back.
#include "daemon_test_util.h"

namespace ibr::testing {
namespace {

class WriterServiceAccountingTest : public WriterServiceFixture {
 protected:
  std::map<std::uint32_t, std::int64_t> SessionContractTicks(std::int64_t session_id) {
    auto cat = ReadCatalog();
    auto rows = cat->ListSessionContracts(session_id);
    EXPECT_TRUE(rows.ok());
    std::map<std::uint32_t, std::int64_t> out;
    for (const auto& r : *rows) out[r.contract_id] = r.messages_collected;
    return out;
  }
  std::map<std::uint32_t, std::int64_t> FileTicks() {
    std::map<std::uint32_t, std::int64_t> out;
    for (const Tick& t : ReadAllTicks(Config().storage_path)) ++out[t.contract_id];
    return out;
  }
  std::uint64_t StreamTicks(const daemon::RecorderStatus& st, std::uint32_t cid, TickType tt) {
    for (const auto& s : st.streams) {
      if (s.contract_id == cid && s.tick_type == tt) return s.ticks;
    }
    ADD_FAILURE() << "no stream " << cid;
    return 0;
  }
  void Resume() {
    fs_.StopFailingWrites();
    AdvanceAndSync(kUsPerSecond);  // disk check + probe flush
    ASSERT_FALSE(service_->Status().disk_full) << service_->Status().last_error;
  }
  std::optional<catalog::ContractRow> Contract(std::uint32_t cid) {
    auto cat = ReadCatalog();
    auto all = cat->ListContracts();
    EXPECT_TRUE(all.ok());
    for (const auto& c : *all) {
      if (c.contract_id == cid) return c;
    }
    return std::nullopt;
  }
  std::int64_t ContractChangeNo(std::uint32_t cid) {
    auto cat = ReadCatalog();
    auto st = cat->db().Prepare("SELECT change_no FROM contracts WHERE contract_id = " + std::to_string(cid));
    EXPECT_TRUE(st.ok());
    if (!st.ok() || !st->Step()) return -1;
    return st->Int(0);
  }
};

TEST_F(WriterServiceAccountingTest, EnospcOnBufferedWritesCountsExactlyTheTicksThatAreNotDurable) {
  StartService();
  const TimeUs t0 = clock_.Now();
  for (int i = 0; i < 3; ++i) Submit(QuoteLine(kAapl, t0 + i, 229));
  AdvanceAndSync(kUsPerSecond);  // 3 durable
  ASSERT_EQ(service_->Status().ticks_stored, 3u);

  // Five ticks are buffered (two files); the group commit's writes hit ENOSPC.
  fs_.FailWritesAfter(0);
  for (int i = 3; i < 6; ++i) Submit(QuoteLine(kAapl, t0 + i, 230));
  for (int i = 0; i < 2; ++i) Submit(QuoteLine(kMnq, t0 + i, 23000));
  AdvanceAndSync(kUsPerSecond);
  daemon::RecorderStatus st = service_->Status();
  ASSERT_TRUE(st.disk_full);
  EXPECT_EQ(st.dropped_by_reason["disk_full"], 5u);
  EXPECT_EQ(st.ticks_dropped, 5u);
  EXPECT_EQ(st.ticks_stored, 3u);
  EXPECT_EQ(StreamTicks(st, kAapl, TickType::kBidAsk), 3u);
  EXPECT_EQ(StreamTicks(st, kMnq, TickType::kBidAsk), 0u);
  EXPECT_EQ(Session(service_->session_id()).total_messages_collected, 3);
  auto sc = SessionContractTicks(service_->session_id());
  EXPECT_EQ(sc[kAapl], 3);
  EXPECT_EQ(sc[kMnq], 0);

  // Space returns; then a write budget that runs out part-way through the next group commit.
  Resume();
  for (int i = 6; i < 10; ++i) Submit(QuoteLine(kAapl, t0 + i, 231));
  for (int i = 2; i < 5; ++i) Submit(QuoteLine(kMnq, t0 + i, 23001));
  fs_.FailWritesAfter(40);
  AdvanceAndSync(kUsPerSecond);
  Resume();
  Submit(QuoteLine(kMnq, t0 + 5, 23002));
  service_->Stop("test done");

  // 3 + 5 + 7 + 1 ticks were submitted: every one is either in the files or counted as dropped.
  const auto files = FileTicks();
  const std::int64_t in_files = files.count(kAapl) ? files.at(kAapl) : 0;
  const std::int64_t mnq_files = files.count(kMnq) ? files.at(kMnq) : 0;
  st = service_->Status();
  EXPECT_EQ(st.ticks_stored, static_cast<std::uint64_t>(in_files + mnq_files));
  EXPECT_EQ(st.ticks_dropped + st.ticks_stored, 16u);
  EXPECT_GT(st.ticks_dropped, 5u);  // the second failure lost something too
  EXPECT_EQ(st.dropped_by_reason["disk_full"], st.ticks_dropped);
  EXPECT_EQ(Session(service_->session_id()).total_messages_collected, in_files + mnq_files);
  sc = SessionContractTicks(service_->session_id());
  EXPECT_EQ(sc[kAapl], in_files);
  EXPECT_EQ(sc[kMnq], mnq_files);
  EXPECT_EQ(StreamTicks(st, kAapl, TickType::kBidAsk), static_cast<std::uint64_t>(in_files));
  EXPECT_EQ(StreamTicks(st, kMnq, TickType::kBidAsk), static_cast<std::uint64_t>(mnq_files));
}

TEST_F(WriterServiceAccountingTest, ABatchThatLostBufferedTicksIsNotAcknowledgedAsStored) {
  StartService();
  const TimeUs t0 = clock_.Now();
  // More than one file buffer (256 KiB): the buffer write inside the batch hits
  // ENOSPC and loses what it held; the group commit after it has nothing left to fail on.
  fs_.FailWritesAfter(4096);  // room for the new file's header, not for a buffer
  std::string batch;
  constexpr int kTicks = 8000;
  for (int i = 0; i < kTicks; ++i) batch += QuoteLine(kAapl, t0 + i, 229) + "\n";
  auto ack = service_->IngestBatch(batch);
  ASSERT_FALSE(ack.ok()) << "accepted " << ack->accepted;
  EXPECT_EQ(ack.status().code(), StatusCode::kDiskFull) << ack.status().ToString();
  daemon::RecorderStatus st = service_->Status();
  EXPECT_EQ(st.ticks_stored, 0u);
  EXPECT_EQ(st.dropped_by_reason["disk_full"], static_cast<std::uint64_t>(kTicks));
  fs_.StopFailingWrites();
  service_->Stop("test done");
  EXPECT_TRUE(ReadAllTicks(Config().storage_path).empty());
  EXPECT_EQ(Session(service_->session_id()).total_messages_collected, 0);
}

TEST_F(WriterServiceAccountingTest, AContractDroppedFromTheConfigIsUntrackedAndCanComeBack) {
  StartService();
  service_->Stop("first run");
  ASSERT_TRUE(Contract(kMnq).has_value());
  EXPECT_TRUE(Contract(kMnq)->tracked);
  const std::int64_t before = ReadCatalog()->MaxChangeNo().value();

  // MNQ is no longer listed.
  auto only_aapl = Config();
  only_aapl.tracked.pop_back();
  service_.reset();
  StartService(only_aapl, Options());
  auto mnq = Contract(kMnq);
  ASSERT_TRUE(mnq.has_value());
  EXPECT_FALSE(mnq->tracked);
  EXPECT_FALSE(mnq->active);
  EXPECT_EQ(mnq->tick_types, std::vector<TickType>{TickType::kBidAsk});  // the last configuration stays
  EXPECT_GT(ContractChangeNo(kMnq), before);  // a change ib-sync picks up
  EXPECT_TRUE(Contract(kAapl)->tracked);
  EXPECT_TRUE(Logged("contract 711280073 is no longer in IB_STREAM_TRACKED_CONTRACTS"));
  const std::int64_t untracked_no = ContractChangeNo(kMnq);

  // Untracking again changes nothing.
  service_.reset();
  StartService(only_aapl, Options());
  EXPECT_EQ(ContractChangeNo(kMnq), untracked_no);

  // Listed again: tracked again.
  service_.reset();
  StartService();
  mnq = Contract(kMnq);
  ASSERT_TRUE(mnq.has_value());
  EXPECT_TRUE(mnq->tracked);
  EXPECT_TRUE(mnq->active);
  EXPECT_GT(ContractChangeNo(kMnq), untracked_no);
}

}  // namespace
}  // namespace ibr::testing
