// WriterService sealing on its background thread: intake goes on (ticks accepted and made
// durable) while a seal is held in progress; the bounded seal queue takes the rest later;
// Stop seals what is due; the catalog ends with the sealed rows and every tick readable.
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "daemon_test_util.h"
#include "support/forwarding_file_system.h"

namespace ibr::testing {
namespace {

using catalog::FileStatus;

// The fixture's fault-injecting file system, plus a gate: while armed, the
// rename that publishes a sealed `.pb.lz4` waits until Release() — a seal
// caught in progress, after its compression and before its catalog update.
class GatedFileSystem final : public ForwardingFileSystem {
 public:
  explicit GatedFileSystem(FileSystem& base) : ForwardingFileSystem(base) {}

  void Arm() { gate_.Arm(); }
  void Release() { gate_.Release(); }
  bool WaitHeld() { return gate_.WaitHeld(); }
  int held() { return gate_.held(); }

  Status Rename(const std::string& from, const std::string& to) override {
    if (to.ends_with(".pb.lz4")) gate_.Pass();
    return base_.Rename(from, to);
  }

 private:
  TestGate gate_;
};

class WriterServiceSealTest : public WriterServiceFixture {
 protected:
  WriterServiceSealTest() : gated_(fs_) {}
  ~WriterServiceSealTest() override {
    gated_.Release();  // never leave the sealer waiting when a test failed early
    service_.reset();
  }

  void StartGated(std::size_t seal_queue_capacity = 1024) {
    auto o = Options();
    o.seal_queue_capacity = seal_queue_capacity;
    o.ingest_timeout_ms = 10'000;  // a writer stuck behind a seal fails the test instead of hanging it
    o.command_timeout_ms = 10'000;
    auto s = daemon::WriterService::Start(Config(), gated_, clock_, std::move(o));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    service_ = std::move(s.value());
  }

  std::string Root() const { return Config().storage_path; }
  std::string OpenPath(std::uint32_t cid, TimeUs hour) const {
    return Root() + "/" + storage::TickFileRelPath(cid, TickType::kBidAsk, hour, 1, false);
  }
  std::optional<catalog::TickFileRow> Row(std::uint32_t cid, TimeUs hour) {
    auto cat = ReadCatalog();
    auto row = cat->GetTickFile(cid, TickType::kBidAsk, hour, 1);
    EXPECT_TRUE(row.ok()) << row.status().ToString();
    return row.ok() ? *row : std::nullopt;
  }

  GatedFileSystem gated_;
};

TEST_F(WriterServiceSealTest, IntakeContinuesAndBecomesDurableWhileASealIsInProgress) {
  StartGated();
  const TimeUs h14 = T("2025-03-10T14:00:00Z");
  ASSERT_TRUE(service_->IngestBatch(QuoteLine(kAapl, T("2025-03-10T14:30:00Z"), 229) + "\n" +
                                    QuoteLine(kAapl, T("2025-03-10T14:59:59Z"), 230))
                  .ok());
  // The hour and its grace are over: the writer closes 14:00 and queues its seal,
  // which the gate holds half-way.
  gated_.Arm();
  clock_.Set(T("2025-03-10T15:05:10Z"));
  ASSERT_TRUE(service_->Barrier().ok());
  ASSERT_TRUE(gated_.WaitHeld());

  // Meanwhile intake goes on: a batch is answered (durable), live ticks are stored.
  std::string batch;
  for (int i = 0; i < 50; ++i) batch += QuoteLine(kAapl, T("2025-03-10T15:05:11Z") + i * 1000, 231) + "\n";
  auto ack = service_->IngestBatch(batch);
  ASSERT_TRUE(ack.ok()) << ack.status().ToString();
  EXPECT_EQ(ack->accepted, 50);
  Submit(TradeLine(kAapl, T("2025-03-10T15:05:12Z"), 232));
  AdvanceAndSync(kUsPerSecond);  // the group commit makes the live tick durable
  EXPECT_EQ(gated_.held(), 1);   // ... all while the seal still waits
  daemon::RecorderStatus st = service_->Status();
  EXPECT_EQ(st.sealed_files, 0u);
  EXPECT_EQ(st.seal_queue, 1u);
  EXPECT_EQ(st.ticks_stored, 53u);
  EXPECT_TRUE(std::filesystem::exists(OpenPath(kAapl, h14)));
  auto held_row = Row(kAapl, h14);
  ASSERT_TRUE(held_row.has_value());
  EXPECT_EQ(held_row->status, FileStatus::kOpen);
  // Durable: in the files and the session counters, before the seal ends.
  EXPECT_EQ(ReadAllTicks(Root()).size(), 53u);
  EXPECT_EQ(Session(service_->session_id()).total_messages_collected, 53);

  gated_.Release();
  ASSERT_TRUE(service_->WaitForSeals().ok());
  st = service_->Status();
  EXPECT_EQ(st.sealed_files, 1u);
  EXPECT_EQ(st.seal_queue, 0u);
  EXPECT_FALSE(std::filesystem::exists(OpenPath(kAapl, h14)));
  EXPECT_TRUE(std::filesystem::exists(OpenPath(kAapl, h14) + ".lz4"));
  auto sealed = Row(kAapl, h14);
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(sealed->status, FileStatus::kSealed);
  EXPECT_EQ(sealed->message_count, 2);
  auto cat = ReadCatalog();
  auto days = cat->ListDailyStats(kAapl);
  ASSERT_TRUE(days.ok());
  std::int64_t bid_ask_messages = 0;
  for (const auto& d : *days) {
    if (d.tick_type == TickType::kBidAsk) bid_ask_messages += d.total_messages;
  }
  EXPECT_EQ(bid_ask_messages, 52);  // the sealed hour and the open one, both counted once

  service_->Stop("test done");
  EXPECT_EQ(ReadAllTicks(Root()).size(), 53u);
  EXPECT_EQ(Session(service_->session_id()).status, catalog::SessionStatus::kCompleted);
}

TEST_F(WriterServiceSealTest, AFullSealQueueTakesTheRestLater) {
  StartGated(/*seal_queue_capacity=*/1);
  const TimeUs h14 = T("2025-03-10T14:00:00Z");
  ASSERT_TRUE(service_->IngestBatch(QuoteLine(kAapl, T("2025-03-10T14:10:00Z"), 229) + "\n" +
                                    QuoteLine(kMnq, T("2025-03-10T14:10:00Z"), 23000))
                  .ok());
  gated_.Arm();
  clock_.Set(T("2025-03-10T15:05:10Z"));
  ASSERT_TRUE(service_->Barrier().ok());
  ASSERT_TRUE(gated_.WaitHeld());
  EXPECT_EQ(service_->Status().seal_queue, 1u);  // one queued; the other waits for room
  gated_.Release();
  ASSERT_TRUE(service_->WaitForSeals().ok());
  EXPECT_EQ(service_->Status().sealed_files, 1u);
  clock_.Advance(6 * kUsPerSecond);  // the next seal round queues the second
  ASSERT_TRUE(service_->WaitForSeals().ok());
  EXPECT_EQ(service_->Status().sealed_files, 2u);
  for (std::uint32_t cid : {kAapl, kMnq}) {
    auto row = Row(cid, h14);
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->status, FileStatus::kSealed) << cid;
  }
}

TEST_F(WriterServiceSealTest, StopSealsWhatIsDueBeforeTheSessionCloses) {
  StartGated();
  const TimeUs h14 = T("2025-03-10T14:00:00Z");
  ASSERT_TRUE(service_->IngestBatch(QuoteLine(kAapl, T("2025-03-10T14:10:00Z"), 229)).ok());
  clock_.Set(T("2025-03-10T15:05:10Z"));
  service_->Stop("test done");
  EXPECT_TRUE(Logged("completed"));
  EXPECT_TRUE(std::filesystem::exists(OpenPath(kAapl, h14) + ".lz4"));
  auto row = Row(kAapl, h14);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, FileStatus::kSealed);
  EXPECT_EQ(service_->Status().sealed_files, 1u);
  EXPECT_EQ(Session(service_->session_id()).status, catalog::SessionStatus::kCompleted);
}

TEST_F(WriterServiceSealTest, AFileAnEarlierRunLeftOpenIsSealedByTheNextRun) {
  // An earlier writer stored a tick and went away without sealing (as after kill -9).
  const TimeUs h14 = T("2025-03-10T14:00:00Z");
  {
    storage::StoreOptions so;
    so.root = Root();
    so.instance_name = "test-recorder";
    auto store = storage::Store::Open(so, fs_, clock_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Tick t = decoder_.Decode(QuoteLine(kAapl, T("2025-03-10T14:10:00Z"), 229), clock_.Now()).tick;
    ASSERT_TRUE((*store)->writer().Append(t).ok());
    ASSERT_TRUE((*store)->writer().Flush(true).ok());
  }
  ASSERT_TRUE(std::filesystem::exists(OpenPath(kAapl, h14)));
  clock_.Set(T("2025-03-10T15:05:10Z"));
  StartGated();
  ASSERT_TRUE(service_->WaitForSeals().ok());
  auto row = Row(kAapl, h14);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, FileStatus::kSealed);
  EXPECT_TRUE(std::filesystem::exists(OpenPath(kAapl, h14) + ".lz4"));
  EXPECT_EQ(service_->Status().sealed_files, 1u);
  // A late tick for that hour lands in a new part; nothing is lost.
  ASSERT_TRUE(service_->IngestBatch(QuoteLine(kAapl, T("2025-03-10T14:20:00Z"), 230)).ok());
  service_->Stop("test done");
  EXPECT_EQ(ReadAllTicks(Root()).size(), 2u);
}

}  // namespace
}  // namespace ibr::testing

namespace ibr::testing {
namespace {

// The sealed count is the catalog's: a restarted recorder shows the files earlier sessions
// sealed (it showed 0 with 8 on disk), and "last seal" is empty until this session seals one.
TEST_F(WriterServiceSealTest, SealedCountIsTheCatalogsAcrossRestartsAndLastSealIsNoneUntilOne) {
  StartGated();
  ASSERT_TRUE(service_->IngestBatch(QuoteLine(kAapl, T("2025-03-10T12:10:00Z"), 229) + "\n" +
                                    QuoteLine(kAapl, T("2025-03-10T13:10:00Z"), 230) + "\n" +
                                    QuoteLine(kMnq, T("2025-03-10T13:20:00Z"), 23000))
                  .ok());
  EXPECT_FALSE(service_->Status().last_seal_seconds.has_value()) << "no seal yet";
  clock_.Set(T("2025-03-10T15:05:10Z"));
  ASSERT_TRUE(service_->WaitForSeals().ok());
  auto first = service_->Status();
  EXPECT_EQ(first.sealed_files, 3u);
  EXPECT_EQ(first.seals, 3u);
  EXPECT_TRUE(first.last_seal_seconds.has_value());
  service_->Stop("test done");
  service_.reset();

  clock_.Set(T("2025-03-10T15:30:00Z"));
  StartGated();
  ASSERT_TRUE(service_->Barrier().ok());
  auto second = service_->Status();
  EXPECT_EQ(second.sealed_files, 3u) << "the files earlier sessions sealed";
  EXPECT_EQ(second.seals, 0u);
  EXPECT_FALSE(second.last_seal_seconds.has_value()) << "this session sealed nothing yet";
}

}  // namespace
}  // namespace ibr::testing
