// WriterService on a ManualClock: the session's life in the catalog, group
// commit and counters, hour rollover and sealing, outages, rejects, drops.
#include "daemon/writer_service.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "daemon_test_util.h"
#include "storage/store_check.h"

namespace ibr::testing {
namespace {

using catalog::SessionStatus;

class WriterServiceTest : public WriterServiceFixture {};

TEST_F(WriterServiceTest, StartRegistersInstanceAndOpensAnActiveSession) {
  StartService();
  auto cat = ReadCatalog();
  auto inst = cat->GetInstance();
  ASSERT_TRUE(inst.ok() && inst->has_value());
  EXPECT_EQ((*inst)->instance_name, "test-recorder");
  EXPECT_EQ((*inst)->port, 8102);
  EXPECT_EQ((*inst)->tws_client_id, 12);
  EXPECT_EQ((*inst)->environment, "development");
  EXPECT_EQ((*inst)->storage_path, Config().storage_path);
  EXPECT_EQ((*inst)->server_version, IBR_VERSION);
  EXPECT_EQ((*inst)->host, storage::HostName());

  catalog::SessionRow s = Session(service_->session_id());
  EXPECT_EQ(s.status, SessionStatus::kActive);
  EXPECT_EQ(s.kind, catalog::SessionKind::kRun);
  EXPECT_EQ(s.session_start, clock_.Now());
  EXPECT_FALSE(s.session_end);
  auto snap = nlohmann::json::parse(s.config_snapshot);
  EXPECT_EQ(snap["recorder_port"], 8102);
  EXPECT_EQ(s.config_snapshot.find("never-shown-key"), std::string::npos);

  auto scs = cat->ListSessionContracts(s.id);
  ASSERT_TRUE(scs.ok());
  ASSERT_EQ(scs->size(), 2u);
  for (const auto& sc : *scs) {
    if (sc.contract_id == kAapl) {
      EXPECT_EQ(sc.symbol, "AAPL");
      EXPECT_EQ(sc.tick_types, (std::vector<TickType>{TickType::kBidAsk, TickType::kLast}));
    } else {
      EXPECT_EQ(sc.contract_id, kMnq);
      EXPECT_EQ(sc.symbol, "MNQ");
    }
    EXPECT_EQ(sc.messages_collected, 0);
  }
  auto contracts = cat->ListContracts();
  ASSERT_TRUE(contracts.ok());
  ASSERT_EQ(contracts->size(), 2u);
  for (const auto& c : *contracts) {
    EXPECT_TRUE(c.tracked);
    if (c.contract_id == kAapl) {
      EXPECT_EQ(c.buffer_hours, 2);
    }
  }
  daemon::RecorderStatus st = service_->Status();
  EXPECT_EQ(st.session_id, s.id);
  EXPECT_EQ(st.instance_name, "test-recorder");
  EXPECT_EQ(st.streams.size(), 3u);  // AAPL bid_ask + last, MNQ bid_ask
  EXPECT_FALSE(st.disk_full);
  EXPECT_TRUE(Logged("session " + std::to_string(s.id) + " started"));
}

TEST_F(WriterServiceTest, SecondWriterOnTheSameRootIsRefused) {
  StartService();
  auto second = daemon::WriterService::Start(Config(), fs_, clock_, Options());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kBusy) << second.status().ToString();
}

TEST_F(WriterServiceTest, GroupCommitKeepsSessionCountersCurrent) {
  StartService();
  const TimeUs t0 = clock_.Now();
  for (int i = 0; i < 10; ++i) Submit(QuoteLine(kAapl, t0 + i * 1000, 229.95 + i * 0.01));
  for (int i = 0; i < 4; ++i) Submit(TradeLine(kMnq, t0 + i * 2000, 23260));
  ASSERT_TRUE(service_->Barrier().ok());
  // Appended, not yet committed: the fsync interval has not passed.
  EXPECT_EQ(Session(service_->session_id()).total_messages_collected, 0);
  EXPECT_EQ(service_->Status().ticks_stored, 14u);

  AdvanceAndSync(kUsPerSecond);
  catalog::SessionRow s = Session(service_->session_id());
  EXPECT_EQ(s.total_messages_collected, 14);
  EXPECT_GT(s.total_storage_bytes, 14 * 10);
  auto cat = ReadCatalog();
  auto scs = cat->ListSessionContracts(s.id);
  ASSERT_TRUE(scs.ok());
  std::int64_t bytes = 0;
  for (const auto& sc : *scs) {
    bytes += sc.storage_bytes;
    if (sc.contract_id == kAapl) {
      EXPECT_EQ(sc.messages_collected, 10);
      EXPECT_EQ(sc.first_message_time, t0);
      EXPECT_EQ(sc.last_message_time, t0 + 9000);
    } else {
      EXPECT_EQ(sc.messages_collected, 4);
      EXPECT_EQ(sc.last_message_time, t0 + 6000);
      // An untracked tick type of a tracked contract joins its tick types.
      EXPECT_EQ(sc.tick_types, (std::vector<TickType>{TickType::kBidAsk, TickType::kLast}));
    }
  }
  EXPECT_EQ(bytes, s.total_storage_bytes);
  auto files = cat->ListTickFiles();
  ASSERT_TRUE(files.ok());
  std::int64_t in_files = 0;
  for (const auto& f : *files) in_files += f.message_count;
  EXPECT_EQ(in_files, 14);

  // More ticks: counters add up across flushes.
  Submit(QuoteLine(kAapl, t0 + 20'000, 230));
  AdvanceAndSync(kUsPerSecond);
  EXPECT_EQ(Session(service_->session_id()).total_messages_collected, 15);

  daemon::RecorderStatus st = service_->Status();
  EXPECT_EQ(st.ticks_stored, 15u);
  for (const auto& stream : st.streams) {
    if (stream.contract_id == kAapl && stream.tick_type == TickType::kBidAsk) {
      EXPECT_EQ(stream.ticks, 11u);
      EXPECT_EQ(stream.last_tick_time, t0 + 20'000);
      ASSERT_EQ(stream.per_minute.size(), 30u);
      EXPECT_EQ(stream.per_minute.back(), 11u);
    }
  }
  // Files and bytes today come from the catalog (refreshed every few seconds).
  AdvanceAndSync(5 * kUsPerSecond);
  st = service_->Status();
  EXPECT_EQ(st.files_today, 2u);
  EXPECT_GT(st.bytes_today, 0u);
  EXPECT_EQ(st.files_total, 2u);
}

TEST_F(WriterServiceTest, StopClosesTheSessionCompletedAndReleasesTheRoot) {
  StartService();
  const TimeUs t0 = clock_.Now();
  for (int i = 0; i < 5; ++i) Submit(QuoteLine(kAapl, t0 + i, 229.95));
  clock_.Advance(3 * kUsPerSecond);
  const std::int64_t id = service_->session_id();
  service_->Stop("stopped by SIGTERM");
  service_->Stop("again");  // idempotent
  catalog::SessionRow s = Session(id);
  EXPECT_EQ(s.status, SessionStatus::kCompleted);
  EXPECT_EQ(s.session_end, clock_.Now());
  EXPECT_EQ(s.termination_reason, "stopped by SIGTERM");
  EXPECT_EQ(s.total_messages_collected, 5);
  EXPECT_TRUE(Logged("completed (stopped by SIGTERM)"));
  // Commands after stop are refused, data is counted as dropped.
  EXPECT_EQ(service_->Barrier().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(service_->IngestBatch(QuoteLine(kAapl, t0, 1)).status().code(), StatusCode::kFailedPrecondition);
  Submit(QuoteLine(kAapl, t0, 1));
  EXPECT_EQ(service_->Status().dropped_by_reason["stopped"], 1u);

  // The root can be opened again: a new session, the old one stays completed.
  service_.reset();
  StartService();
  EXPECT_NE(service_->session_id(), id);
  EXPECT_EQ(Session(id).status, SessionStatus::kCompleted);
  auto cat = ReadCatalog();
  auto sessions = cat->ListSessions(SessionStatus::kActive);
  ASSERT_TRUE(sessions.ok());
  EXPECT_EQ(sessions->size(), 1u);
}

TEST_F(WriterServiceTest, HourRolloverAndSealAfterTheGrace) {
  StartService();
  clock_.Set(T("2025-03-10T14:59:58Z"));
  Submit(QuoteLine(kAapl, T("2025-03-10T14:59:59Z"), 229));
  clock_.Set(T("2025-03-10T15:00:01Z"));
  Submit(QuoteLine(kAapl, T("2025-03-10T15:00:01Z"), 230));
  AdvanceAndSync(kUsPerSecond);
  const std::string root = Config().storage_path;
  const std::string h14 = storage::TickFileRelPath(kAapl, TickType::kBidAsk, T("2025-03-10T14:00:00Z"), 1, false);
  const std::string h15 = storage::TickFileRelPath(kAapl, TickType::kBidAsk, T("2025-03-10T15:00:00Z"), 1, false);
  EXPECT_TRUE(std::filesystem::exists(root + "/" + h14));
  EXPECT_TRUE(std::filesystem::exists(root + "/" + h15));

  // One second before the grace ends: still open.
  clock_.Set(T("2025-03-10T15:04:59Z"));
  ASSERT_TRUE(service_->Barrier().ok());
  EXPECT_TRUE(std::filesystem::exists(root + "/" + h14));
  EXPECT_EQ(service_->Status().sealed_files, 0u);

  clock_.Set(T("2025-03-10T15:05:10Z"));
  ASSERT_TRUE(service_->WaitForSeals().ok());  // sealing runs on the sealer thread
  EXPECT_FALSE(std::filesystem::exists(root + "/" + h14));
  EXPECT_TRUE(std::filesystem::exists(root + "/" + h14 + ".lz4"));
  EXPECT_TRUE(std::filesystem::exists(root + "/" + h15));  // the current hour stays open
  EXPECT_EQ(service_->Status().sealed_files, 1u);
  auto cat = ReadCatalog();
  auto row = cat->GetTickFile(kAapl, TickType::kBidAsk, T("2025-03-10T14:00:00Z"), 1);
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->status, catalog::FileStatus::kSealed);
  EXPECT_EQ((*row)->message_count, 1);

  // A late tick for the sealed hour goes to a new part; everything is readable.
  Submit(QuoteLine(kAapl, T("2025-03-10T14:59:59.5Z"), 228));
  service_->Stop("test done");
  auto ticks = ReadAllTicks(root);
  ASSERT_EQ(ticks.size(), 3u);
  EXPECT_EQ(ticks[2].bid_price, 228);
}

TEST_F(WriterServiceTest, DisconnectAndConnectRecordAnOutage) {
  auto c = Config();
  c.source = "sse";
  StartService(c, Options());
  service_->StreamConnected(kAapl);
  ASSERT_TRUE(service_->Barrier().ok());
  EXPECT_TRUE(service_->Status().contracts[0].connected);

  const TimeUs down = clock_.Now() + kUsPerSecond;
  clock_.Set(down);
  service_->StreamDisconnected(kAapl, "connection refused");
  ASSERT_TRUE(service_->Barrier().ok());
  // The open outage is committed at once (a crash now leaves it visible).
  auto outages = ReadCatalog()->ListOutages(service_->session_id());
  ASSERT_TRUE(outages.ok());
  ASSERT_EQ(outages->size(), 1u);
  EXPECT_EQ((*outages)[0].contract_id, kAapl);
  EXPECT_EQ((*outages)[0].outage_start, down);
  EXPECT_FALSE((*outages)[0].outage_end);
  EXPECT_EQ((*outages)[0].cause, "disconnect: connection refused");
  daemon::RecorderStatus st = service_->Status();
  EXPECT_FALSE(st.contracts[0].connected);
  EXPECT_EQ(st.contracts[0].outages, 1u);

  // A second disconnect while down does not open a second outage.
  service_->StreamDisconnected(kAapl, "still refused");
  clock_.Advance(30 * kUsPerSecond);
  const TimeUs up = clock_.Now();
  service_->StreamConnected(kAapl);
  AdvanceAndSync(kUsPerSecond);
  outages = ReadCatalog()->ListOutages(service_->session_id());
  ASSERT_EQ(outages->size(), 1u);
  EXPECT_EQ((*outages)[0].outage_end, up);
  st = service_->Status();
  EXPECT_TRUE(st.contracts[0].connected);
  EXPECT_EQ(st.contracts[0].reconnects, 1u);
  EXPECT_EQ(st.outages_total, 1u);
  auto events = ReadCatalog()->ListStreamEvents(service_->session_id());
  ASSERT_TRUE(events.ok());
  std::vector<std::string> kinds;
  for (const auto& e : *events) kinds.push_back(e.event_type);
  EXPECT_EQ(kinds, (std::vector<std::string>{"connect", "disconnect", "disconnect", "connect"}));
}

// The operator sees why the upstream went away and how many reconnects failed since.
TEST_F(WriterServiceTest, StatusKeepsTheLastDisconnectReasonAndCountsFailedReconnectAttempts) {
  auto c = Config();
  c.source = "sse";
  StartService(c, Options());
  service_->StreamConnected(kAapl);
  ASSERT_TRUE(service_->Barrier().ok());
  const TimeUs down = clock_.Now() + kUsPerSecond;
  clock_.Set(down);
  service_->StreamDisconnected(kAapl, "connection refused (http://127.0.0.1:8101)");
  service_->StreamAttemptFailed(kAapl, "connection refused (http://127.0.0.1:8101)");
  service_->StreamAttemptFailed(kAapl, "connection refused (http://127.0.0.1:8101)");
  ASSERT_TRUE(service_->Barrier().ok());
  daemon::RecorderStatus st = service_->Status();
  ASSERT_EQ(st.contracts[0].contract_id, kAapl);
  EXPECT_FALSE(st.contracts[0].connected);
  EXPECT_EQ(st.contracts[0].last_disconnect, "connection refused (http://127.0.0.1:8101)");
  EXPECT_EQ(st.contracts[0].last_disconnect_at, down);
  EXPECT_EQ(st.contracts[0].reconnect_attempts, 2u);
  EXPECT_EQ(st.contracts[0].reconnect_attempts_total, 2u);
  service_->StreamConnected(kAapl);
  ASSERT_TRUE(service_->Barrier().ok());
  st = service_->Status();
  EXPECT_TRUE(st.contracts[0].connected);
  EXPECT_EQ(st.contracts[0].reconnect_attempts, 0u) << "since the stream was last up";
  EXPECT_EQ(st.contracts[0].reconnect_attempts_total, 2u);
  EXPECT_EQ(st.contracts[0].last_disconnect, "connection refused (http://127.0.0.1:8101)") << "kept for the operator";
}

TEST_F(WriterServiceTest, ErrorThenTicksIsAnOutageAndStopClosesOpenOnes) {
  StartService();
  const TimeUs t0 = clock_.Now();
  Submit(QuoteLine(kAapl, t0, 229));
  Submit(LifecycleLine("error", kAapl, t0 + kUsPerSecond, "STREAM_ERROR"));
  Submit(QuoteLine(kMnq, t0 + 2 * kUsPerSecond, 23260));  // another contract: no effect
  Submit(QuoteLine(kAapl, t0 + 5 * kUsPerSecond, 229.5));
  Submit(LifecycleLine("complete", kMnq, t0 + 6 * kUsPerSecond, "limit_reached"));
  Submit(LifecycleLine("info", kMnq, t0 + 7 * kUsPerSecond, "subscribed"));
  Submit(LifecycleLine("error", kAapl, t0 + 8 * kUsPerSecond, "CONNECTION_ERROR"));
  AdvanceAndSync(kUsPerSecond);
  clock_.Set(t0 + 60 * kUsPerSecond);
  service_->Stop("stopped by SIGINT");
  auto cat = ReadCatalog();
  auto sessions = cat->ListSessions();
  ASSERT_TRUE(sessions.ok());
  auto outages = cat->ListOutages();
  ASSERT_TRUE(outages.ok());
  ASSERT_EQ(outages->size(), 3u);
  const auto& a = (*outages)[0];
  EXPECT_EQ(a.contract_id, kAapl);
  EXPECT_EQ(a.cause, "error:STREAM_ERROR");
  EXPECT_EQ(a.outage_start, t0 + kUsPerSecond);
  EXPECT_EQ(a.outage_end, t0 + 5 * kUsPerSecond);
  const auto& m = (*outages)[1];
  EXPECT_EQ(m.contract_id, kMnq);
  EXPECT_EQ(m.cause, "complete:limit_reached");
  EXPECT_EQ(m.outage_end, t0 + 7 * kUsPerSecond);  // info: the stream is back
  const auto& open = (*outages)[2];
  EXPECT_EQ(open.cause, "error:CONNECTION_ERROR");
  EXPECT_EQ(open.outage_end, t0 + 60 * kUsPerSecond);  // closed at the session's end
  auto events = cat->ListStreamEvents();
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 4u);
  EXPECT_EQ(service_->Status().lifecycle_events, 4u);
}

TEST_F(WriterServiceTest, RejectsAreQuarantinedAndCountedPerSession) {
  StartService();
  const TimeUs t0 = clock_.Now();
  Submit("not json", 7);
  Submit(R"({"type":"tick","timestamp":"2025-03-10T14:00:00Z","data":{"contract_id":1,"tick_type":"bid_ask"}})", 8);
  Submit(R"({"type":"heartbeat"})", 9);
  Submit(QuoteLine(kAapl, t0, 229), 10);
  AdvanceAndSync(kUsPerSecond);
  daemon::RecorderStatus st = service_->Status();
  EXPECT_EQ(st.rejects, 2u);
  EXPECT_EQ(st.rejects_by_reason["bad_json"], 1u);
  EXPECT_EQ(st.rejects_by_reason["missing_field"], 1u);
  EXPECT_EQ(st.heartbeats, 1u);
  EXPECT_EQ(st.ticks_stored, 1u);
  auto totals = ReadCatalog()->RejectTotals();
  ASSERT_TRUE(totals.ok());
  EXPECT_EQ((*totals)["bad_json"], 1);
  EXPECT_EQ((*totals)["missing_field"], 1);
  auto text = PosixFileSystem::Instance().ReadFile(storage::RejectsPath(Config().storage_path, t0));
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find(R"({"input":"not json","line":7,"reason":"bad_json"})"), std::string::npos) << *text;
  EXPECT_NE(text->find(R"("line":8,"reason":"missing_field")"), std::string::npos) << *text;
}

TEST_F(WriterServiceTest, FullQueueDropsAndCounts) {
  auto o = Options();
  o.queue_capacity = 0;  // every data item finds the queue full; commands still pass
  StartService(Config(), std::move(o));
  for (int i = 0; i < 3; ++i) Submit(QuoteLine(kAapl, clock_.Now(), 229));
  Submit(LifecycleLine("error", kAapl, clock_.Now(), "X"));
  ASSERT_TRUE(service_->Barrier().ok());
  daemon::RecorderStatus st = service_->Status();
  EXPECT_EQ(st.dropped_by_reason["queue_full"], 4u);
  EXPECT_EQ(st.ticks_dropped, 4u);
  EXPECT_EQ(st.ticks_stored, 0u);
  EXPECT_EQ(st.queue_capacity, 0u);
}

TEST_F(WriterServiceTest, IngestBatchAnswersOnceDurable) {
  StartService();
  const TimeUs t0 = clock_.Now();
  std::string body;
  for (int i = 0; i < 5; ++i) body += QuoteLine(kAapl, t0 + i * 1000, 229 + i) + "\n";
  body += TradeLine(4242, t0 + 10, 17.5) + "\r\n";  // untracked contracts are accepted too
  body += "\n{oops\n";
  body += std::string(70 * 1024, 'x') + "\n";
  body += LifecycleLine("info", kAapl, t0, "subscribed") + "\n";
  body += R"({"type":"heartbeat"})";
  auto ack = service_->IngestBatch(body);
  ASSERT_TRUE(ack.ok()) << ack.status().ToString();
  EXPECT_EQ(ack->accepted, 6);
  EXPECT_EQ(ack->rejected, 2);
  EXPECT_EQ(ack->reasons, (std::map<std::string, std::int64_t>{{"bad_json", 1}, {"line_too_long", 1}}));
  EXPECT_EQ(ack->lifecycle, 1);
  EXPECT_EQ(ack->files, 2);
  EXPECT_EQ(ack->dropped, 0);
  // Without moving the clock: the ticks are fdatasync'd and committed.
  auto cat = ReadCatalog();
  auto files = cat->ListTickFiles();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 2u);
  for (const auto& f : *files) {
    std::string abs = Config().storage_path + "/" + f.file_path;
    EXPECT_EQ(fs_.synced_size(abs), std::filesystem::file_size(abs)) << f.file_path;
    EXPECT_EQ(f.message_count, f.contract_id == kAapl ? 5 : 1);
  }
  auto scs = cat->ListSessionContracts(service_->session_id());
  ASSERT_TRUE(scs.ok());
  EXPECT_EQ(scs->size(), 3u);  // the untracked contract got its session contract row
  auto contracts = cat->ListContracts();
  ASSERT_TRUE(contracts.ok());
  bool untracked_seen = false;
  for (const auto& c : *contracts) untracked_seen |= c.contract_id == 4242 && !c.tracked;
  EXPECT_TRUE(untracked_seen);
  // The quarantine has the bad lines with their numbers in the body.
  auto text = PosixFileSystem::Instance().ReadFile(storage::RejectsPath(Config().storage_path, t0));
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find(R"("line":8,"reason":"bad_json")"), std::string::npos) << *text;
  EXPECT_NE(text->find(R"("line":9,"reason":"line_too_long")"), std::string::npos);
}

TEST_F(WriterServiceTest, DiskBelowTheFloorPausesWritingAndResumes) {
  StartService();
  const TimeUs t0 = clock_.Now();
  Submit(QuoteLine(kAapl, t0, 229));
  fs_.SetFreeBytes(512 << 10);  // below the 1 MiB floor
  AdvanceAndSync(kUsPerSecond);
  daemon::RecorderStatus st = service_->Status();
  EXPECT_TRUE(st.disk_full);
  EXPECT_FALSE(st.storage_writable);
  EXPECT_EQ(st.disk_free_bytes, 512u << 10);
  EXPECT_TRUE(Logged("disk full (free space under"));

  for (int i = 1; i <= 3; ++i) Submit(QuoteLine(kAapl, t0 + i, 230));
  auto ack = service_->IngestBatch(QuoteLine(kAapl, t0 + 4, 231));
  ASSERT_TRUE(ack.ok()) << ack.status().ToString();
  EXPECT_EQ(ack->accepted, 0);
  EXPECT_EQ(ack->dropped, 1);
  AdvanceAndSync(kUsPerSecond);
  st = service_->Status();
  EXPECT_TRUE(st.disk_full);
  EXPECT_EQ(st.dropped_by_reason["disk_full"], 4u);
  EXPECT_EQ(st.ticks_stored, 1u);

  fs_.SetFreeBytes(std::nullopt);  // space is back
  AdvanceAndSync(kUsPerSecond);
  st = service_->Status();
  EXPECT_FALSE(st.disk_full);
  EXPECT_TRUE(st.storage_writable);
  EXPECT_TRUE(Logged("writing resumed"));
  Submit(QuoteLine(kAapl, t0 + 10, 232));
  service_->Stop("test done");
  EXPECT_EQ(ReadAllTicks(Config().storage_path).size(), 2u);
  EXPECT_EQ(Session(service_->session_id()).total_messages_collected, 2);
}

TEST_F(WriterServiceTest, EnospcPausesWritingNeverDamagesFilesAndResumes) {
  StartService();
  const TimeUs t0 = clock_.Now();
  for (int i = 0; i < 3; ++i) Submit(QuoteLine(kAapl, t0 + i, 229));
  AdvanceAndSync(kUsPerSecond);  // 3 durable ticks
  fs_.FailWritesAfter(0);
  for (int i = 3; i < 6; ++i) Submit(QuoteLine(kAapl, t0 + i, 230));
  AdvanceAndSync(kUsPerSecond);  // the group commit hits ENOSPC
  daemon::RecorderStatus st = service_->Status();
  EXPECT_TRUE(st.disk_full);
  EXPECT_TRUE(Logged("disk full (group commit"));
  // Free space looks fine, but the probe write still fails: stay paused.
  AdvanceAndSync(kUsPerSecond);
  EXPECT_TRUE(service_->Status().disk_full);
  Submit(QuoteLine(kAapl, t0 + 6, 231));
  ASSERT_TRUE(service_->Barrier().ok());
  // The three the failed group commit lost, and the one refused while full.
  EXPECT_EQ(service_->Status().dropped_by_reason["disk_full"], 4u);
  EXPECT_EQ(service_->Status().ticks_stored, 3u);
  fs_.StopFailingWrites();
  fs_.SetFreeBytes(0);
  AdvanceAndSync(kUsPerSecond);
  EXPECT_TRUE(service_->Status().disk_full);

  fs_.SetFreeBytes(std::nullopt);
  AdvanceAndSync(kUsPerSecond);
  EXPECT_FALSE(service_->Status().disk_full);
  Submit(QuoteLine(kAapl, t0 + 7, 232));
  service_->Stop("test done");
  // Whole ticks only, and the catalog agrees with the files.
  auto ticks = ReadAllTicks(Config().storage_path);
  ASSERT_EQ(ticks.size(), 4u);
  EXPECT_EQ(ticks.back().bid_price, 232);
  auto cat = ReadCatalog();
  storage::StoreCheckOptions check;
  check.root = Config().storage_path;
  check.instance_name = "test-recorder";
  auto report = storage::CheckStore(check, PosixFileSystem::Instance(), *cat, clock_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  for (const auto& p : report->problems) ADD_FAILURE() << p.file << ": " << p.what;
}

TEST_F(WriterServiceTest, IngestBatchOnAFullDiskIsNotAcknowledgedAsStored) {
  StartService();
  const TimeUs t0 = clock_.Now();
  ASSERT_TRUE(service_->IngestBatch(QuoteLine(kAapl, t0, 229)).ok());
  // The next batch fits the open file's buffer; the group commit's write fails.
  fs_.FailWritesAfter(0);
  auto ack = service_->IngestBatch(QuoteLine(kAapl, t0 + 1, 230));
  ASSERT_FALSE(ack.ok());
  EXPECT_EQ(ack.status().code(), StatusCode::kDiskFull) << ack.status().ToString();
  EXPECT_NE(ack.status().message().find("treat it as not stored"), std::string::npos);
  EXPECT_TRUE(service_->Status().disk_full);
  // While full, a batch is answered with what was dropped.
  auto dropped = service_->IngestBatch(TradeLine(kMnq, t0 + 2, 23260));
  ASSERT_TRUE(dropped.ok()) << dropped.status().ToString();
  EXPECT_EQ(dropped->accepted, 0);
  EXPECT_EQ(dropped->dropped, 1);
  fs_.StopFailingWrites();
  service_->Stop("test done");
  EXPECT_EQ(ReadAllTicks(Config().storage_path).size(), 1u);
}

}  // namespace
}  // namespace ibr::testing
