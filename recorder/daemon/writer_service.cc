// WriterService: the writer thread, its queue and commands, and the lifecycle
// of a `run` session. Status snapshots are built in writer_service_status.cc.
#include "daemon/writer_service.h"

#include <chrono>
#include <cstdio>
#include <algorithm>
#include <future>

#include "common/time_text.h"
#include "ingest/line_intake.h"
#include "ingest/outage_rule.h"
#include "ingest/reject_reason.h"
#include "storage/layout.h"

namespace ibr::daemon {
namespace {

bool IsIngestBatch(const QueueItem& item) {
  const auto* c = std::get_if<std::unique_ptr<Command>>(&item);
  return c && (*c)->kind == Command::Kind::kIngestBatch;
}

// Waits for a command's answer; Unavailable when the writer does not answer in time.
template <typename T>
std::optional<T> Await(std::future<T>& f, int timeout_ms) {
  if (f.wait_for(std::chrono::milliseconds(timeout_ms)) != std::future_status::ready) return std::nullopt;
  return f.get();
}

}  // namespace

WriterService::WriterService(const RecorderConfig& config, FileSystem& fs, const Clock& clock,
                             WriterServiceOptions options)
    : config_(config), fs_(fs), clock_(clock), opt_(std::move(options)), queue_(opt_.queue_capacity) {}

WriterService::~WriterService() { Stop("service shut down"); }

void WriterService::Log(const std::string& line) const {
  if (opt_.log) {
    opt_.log(line);
  } else {
    std::fprintf(stderr, "ib-recorder: %s\n", line.c_str());
  }
}

Result<std::unique_ptr<WriterService>> WriterService::Start(const RecorderConfig& config, FileSystem& fs,
                                                            const Clock& clock, WriterServiceOptions options) {
  if (config.read_only) return Status::InvalidArgument("WriterService cannot run read-only (use ReadOnlyService)");
  std::unique_ptr<WriterService> svc(new WriterService(config, fs, clock, std::move(options)));
  storage::StoreOptions so;
  so.root = config.storage_path;
  so.instance_name = config.instance_name;
  so.environment = config.environment;
  so.purpose = "run";
  so.max_file_bytes = config.max_file_bytes;
  so.lz4_level = config.lz4_level;
  so.seal_grace = config.seal_grace;
  so.tws_client_id = config.client_id;
  auto store = storage::Store::Open(so, fs, clock);
  if (!store.ok()) return store.status();
  svc->store_ = std::move(store.value());
  for (const auto& p : svc->store_->recovery().problems) {
    svc->Log("recovery: " + p.file + ": " + p.what + " (" + p.repair + ")");
  }
  storage::SealerOptions seal;
  seal.root = config.storage_path;
  seal.instance_name = svc->store_->instance().instance_name;
  seal.lz4_level = config.lz4_level;
  WriterService* self = svc.get();
  auto seals = SealScheduler::Start(seal, fs, clock, svc->store_->catalog(), storage::CatalogPath(config.storage_path),
                                    svc->opt_.seal_queue_capacity, [self](const std::string& l) { self->Log(l); });
  if (!seals.ok()) return seals.status();
  svc->seals_ = std::move(seals).value();
  auto book = SessionBook::Open(*svc->store_, config, clock.Now());
  if (!book.ok()) return book.status().WithContext("opening the collection session");
  svc->book_ = std::move(book.value());
  svc->session_id_ = svc->book_->session_id();
  svc->session_start_ = svc->book_->session_start();
  for (std::uint32_t cid : svc->book_->untracked()) {
    svc->Log("contract " + std::to_string(cid) +
             " is no longer in IB_STREAM_TRACKED_CONTRACTS: marked untracked in the catalog (its files stay)");
  }
  svc->rejects_ = std::make_unique<storage::RejectLog>(config.storage_path, fs, clock, "live input");
  svc->disk_ = std::make_unique<DiskGuard>(fs, config.storage_path, config.min_free_bytes);
  svc->health_ = std::make_unique<StoreHealth>(*svc->disk_, [self](const std::string& l) { self->Log(l); });
  const TimeUs mono = clock.MonotonicUs();
  svc->retention_ = std::make_unique<RetentionScheduler>(config.retention, config.storage_path,
                                                         svc->opt_.retention_interval, svc->opt_.retention_first_delay,
                                                         mono, [self](const std::string& l) { self->Log(l); });
  svc->last_flush_ = svc->last_seal_ = svc->last_disk_ = svc->last_stats_ = svc->last_publish_ = mono;
  svc->now_ = clock.Now();
  svc->CheckDisk();
  svc->SealDue();  // what an earlier run left due (before the writer thread: nothing is buffered yet)
  svc->RefreshCatalogStats();
  svc->Publish();
  svc->Log("session " + std::to_string(svc->session_id_) + " started: instance " +
           svc->store_->instance().instance_name + ", storage " + config.storage_path + ", source " + config.source +
           ", " + std::to_string(config.tracked.size()) + " tracked contracts");
  WriterService* raw = svc.get();
  svc->thread_ = std::thread([raw] { raw->Run(); });
  return svc;
}

// ---------------------------------------------------------------- any thread

bool WriterService::PushCommand(std::unique_ptr<Command> command) {
  std::lock_guard<std::mutex> lock(lifecycle_mu_);
  if (stop_sent_) return false;
  queue_.PushCommand(std::move(command));
  return true;
}

void WriterService::Submit(ingest::DecodeResult item, std::uint64_t line_number, std::string_view raw_line) {
  if (!accepting_.load(std::memory_order_relaxed)) {
    dropped_stopped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const bool priority = item.kind == ingest::DecodeResult::Kind::kLifecycle;
  if (!queue_.TryPush(ToLineItem(std::move(item), line_number, raw_line), priority)) {
    dropped_queue_full_.fetch_add(1, std::memory_order_relaxed);
  }
}

void WriterService::StreamConnected(std::uint32_t contract_id) {
  {
    std::lock_guard<std::mutex> lock(status_mu_);
    attempts_[contract_id].since_up = 0;
  }
  auto c = std::make_unique<Command>(Command::Kind::kStreamConnected);
  c->contract_id = contract_id;
  c->at = clock_.Now();
  PushCommand(std::move(c));
}

void WriterService::StreamAttemptFailed(std::uint32_t contract_id, const std::string&) {
  std::lock_guard<std::mutex> lock(status_mu_);
  UpstreamAttempts& a = attempts_[contract_id];
  ++a.since_up;
  ++a.total;
}

void WriterService::StreamDisconnected(std::uint32_t contract_id, const std::string& cause) {
  auto c = std::make_unique<Command>(Command::Kind::kStreamDisconnected);
  c->contract_id = contract_id;
  c->text = cause;
  c->at = clock_.Now();
  PushCommand(std::move(c));
}

Result<IngestAck> WriterService::IngestBatch(std::string_view body) {
  // The writer decodes the body line by line as it stores it: a batch costs its
  // body's bytes, never an item per line (20 M tiny lines must not cost GBs).
  auto c = std::make_unique<Command>(Command::Kind::kIngestBatch);
  c->body.assign(body);
  c->at = clock_.Now();
  auto answer = c->ack.get_future();
  if (!PushCommand(std::move(c))) {
    return Status::FailedPrecondition("the recorder is stopping: nothing was stored; send the batch again later");
  }
  auto r = Await(answer, opt_.ingest_timeout_ms);
  if (!r) {
    return Status::Unavailable("the writer did not make the batch durable within " +
                               std::to_string(opt_.ingest_timeout_ms / 1000) +
                               " s; it may still be stored (check /health, then query before sending it again)");
  }
  return std::move(*r);
}

Result<std::shared_ptr<LiveSubscription>> WriterService::Subscribe(std::uint32_t contract_id,
                                                                   std::vector<TickType> tick_types) {
  auto sub = std::make_shared<LiveSubscription>(contract_id, std::move(tick_types), opt_.subscriber_capacity);
  auto c = std::make_unique<Command>(Command::Kind::kSubscribe);
  c->subscription = sub;
  auto done = c->done.get_future();
  if (!PushCommand(std::move(c))) return Status::FailedPrecondition("the recorder is stopping: no live stream");
  auto r = Await(done, opt_.command_timeout_ms);
  if (!r) return Status::Unavailable("the writer did not register the live subscription in time");
  if (!r->ok()) return *r;
  return sub;
}

void WriterService::Unsubscribe(const std::shared_ptr<LiveSubscription>& sub) {
  if (sub) sub->Close("unsubscribed");  // the writer forgets closed subscriptions
}

ibr::Status WriterService::Barrier() {
  auto c = std::make_unique<Command>(Command::Kind::kBarrier);
  auto done = c->done.get_future();
  if (!PushCommand(std::move(c))) return Status::FailedPrecondition("the recorder is stopped");
  auto r = Await(done, opt_.command_timeout_ms);
  return r ? *r : Status::Unavailable("the writer did not answer in time");
}

void WriterService::Stop(const std::string& reason) { StopWith(reason, false); }

void WriterService::Fail(const std::string& reason) { StopWith(reason, true); }

void WriterService::StopWith(const std::string& reason, bool failed) {
  std::future<ibr::Status> done;
  {
    std::lock_guard<std::mutex> lock(lifecycle_mu_);
    if (!stop_sent_ && thread_.joinable()) {
      accepting_.store(false);
      auto c = std::make_unique<Command>(Command::Kind::kStop);
      c->text = reason;
      c->failed = failed;
      done = c->done.get_future();
      queue_.PushCommand(std::move(c));
    }
    stop_sent_ = true;
  }
  if (done.valid()) done.wait();
  std::lock_guard<std::mutex> lock(lifecycle_mu_);
  if (thread_.joinable()) thread_.join();
  if (seals_) seals_->Stop();
}

ibr::Status WriterService::WaitForSeals() {
  IBR_RETURN_IF_ERROR(Barrier());
  if (!seals_->WaitIdle(opt_.command_timeout_ms)) return Status::Unavailable("the sealer did not finish in time");
  return Barrier();
}

// ------------------------------------------------------------- writer thread

void WriterService::Run() {
  std::vector<QueueItem> batch;
  bool stop = false;
  while (!stop) {
    queue_.PopAll(&batch, std::chrono::milliseconds(opt_.idle_wait_ms));
    now_ = clock_.Now();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      QueueItem& item = batch[i];
      if (stop) {
        // Only data can follow the stop command (commands are refused once it is sent).
        if (std::holds_alternative<Tick>(item)) ++dropped_stopped_;
        continue;
      }
      if (IsIngestBatch(item)) {
        // Group commit: the ingest batches queued one after another are stored
        // together, made durable by one flush (one fdatasync per touched file)
        // and answered together.
        std::vector<Command*> group;
        for (; i < batch.size() && IsIngestBatch(batch[i]); ++i) {
          group.push_back(std::get<std::unique_ptr<Command>>(batch[i]).get());
        }
        --i;
        HandleIngestGroup(group);
        continue;
      }
      Handle(item, &stop);
    }
    batch.clear();
    if (!stop) Periodic();
  }
}

void WriterService::Handle(QueueItem& item, bool* stop) {
  if (auto* t = std::get_if<Tick>(&item)) {
    HandleTick(*t);
  } else if (auto* ev = std::get_if<ingest::LifecycleEvent>(&item)) {
    HandleLifecycle(*ev);
  } else if (std::holds_alternative<HeartbeatItem>(item)) {
    ++heartbeats_;
  } else if (auto* r = std::get_if<RejectItem>(&item)) {
    HandleReject(*r);
  } else if (auto* cp = std::get_if<std::unique_ptr<Command>>(&item)) {
    Command& c = **cp;
    switch (c.kind) {
      case Command::Kind::kIngestBatch: {
        std::vector<Command*> one{&c};
        HandleIngestGroup(one);
        break;
      }
      case Command::Kind::kSubscribe:
        HandleSubscribe(c);
        break;
      case Command::Kind::kStreamConnected:
      case Command::Kind::kStreamDisconnected:
        HandleStreamState(c);
        break;
      case Command::Kind::kBarrier:
        now_ = clock_.Now();
        Periodic();
        Publish();
        c.done.set_value(Status::Ok());
        break;
      case Command::Kind::kStop:
        HandleStop(c);
        *stop = true;
        break;
    }
  }
}

bool WriterService::HandleTick(Tick& t) {
  if (disk_->full()) {
    ledger_.DropDiskFull();
    return false;
  }
  storage::PartitionWriter& w = store_->writer();
  ledger_.Attempt();
  const std::uint64_t appended = w.ticks_appended();
  ibr::Status s = w.Append(t);
  if (!s.ok()) {
    OnStoreError(s, "appending a tick");
    // This tick, and whatever the failed write held, is not stored.
    AccountLosses(s.code(), w.ticks_appended() > appended ? &t : nullptr);
    return false;
  }
  ledger_.Stored(w);
  dirty_ = true;
  counters_.OnTick(t, now_);
  book_->NoteTick(t.contract_id, t.tick_type);
  if (book_->HasOpenOutage(t.contract_id)) {
    // Ticks flow again after an error/complete or a disconnect: the outage ends here.
    ibr::Status o = book_->CloseOutage(t.contract_id, t.timestamp_us);
    if (!o.ok()) OnStoreError(o, "closing an outage");
  }
  fan_out_.Push(t);
  return true;
}

void WriterService::HandleLifecycle(const ingest::LifecycleEvent& ev) {
  ++lifecycle_;
  catalog::StreamEventRow row;
  row.stream_id = ev.stream_id;
  row.contract_id = ev.contract_id;
  row.tick_type = ev.tick_type;
  row.event_type = ev.type;
  const TimeUs when = ev.timestamp ? ev.timestamp : now_;
  row.event_time = when;
  if (!ev.code.empty()) row.code = ev.code;
  row.raw_message = ev.raw;
  book_->AddEvent(std::move(row));
  ibr::Status s;
  switch (ingest::OutageEffectOf(ev)) {
    case ingest::OutageEffect::kOpens:
      s = book_->OpenOutage(*ev.contract_id, ev.tick_type, when, ingest::OutageCause(ev));
      break;
    case ingest::OutageEffect::kCloses:
      s = book_->CloseOutage(*ev.contract_id, when);
      break;
    case ingest::OutageEffect::kNone:
      return;
  }
  if (!s.ok()) OnStoreError(s, "recording an outage");
}

void WriterService::HandleReject(const RejectItem& r) { rejects_->Add(r.line, r.reason, r.input, r.detail); }

void WriterService::HandleSubscribe(Command& c) {
  // Hand every buffered tick to the OS and the catalog, so a reader finds all
  // ticks up to start_seq in the files; every later tick is pushed live.
  ibr::Status s = FlushAll(false);
  if (!s.ok()) Log("live subscription: buffered ticks could not be written (" + s.message() + ")");
  c.subscription->set_start_seq(store_->writer().next_arrival_seq() - 1);
  fan_out_.Add(c.subscription);
  Publish();
  c.done.set_value(Status::Ok());
}

void WriterService::HandleStreamState(const Command& c) {
  publish_now_ = true;
  catalog::StreamEventRow row;
  row.contract_id = c.contract_id;
  row.event_time = c.at;
  row.stream_id = "upstream_" + std::to_string(c.contract_id);
  ibr::Status s;
  if (c.kind == Command::Kind::kStreamConnected) {
    counters_.OnConnected(c.contract_id);
    row.event_type = "connect";
    s = book_->CloseOutage(c.contract_id, c.at);
  } else {
    counters_.OnDisconnected(c.contract_id, c.text, c.at);
    row.event_type = "disconnect";
    row.code = c.text;
    s = book_->OpenOutage(c.contract_id, std::nullopt, c.at, "disconnect: " + c.text);
  }
  book_->AddEvent(std::move(row));
  if (!s.ok()) OnStoreError(s, "recording an outage");
}

void WriterService::HandleStop(Command& c) {
  now_ = clock_.Now();
  if (dirty_ || book_->dirty()) FlushAll(true);
  SealDue();
  if (seals_->Drain(opt_.command_timeout_ms)) RefreshCatalogStats();  // the sealed count is the catalog's
  now_ = clock_.Now();
  ibr::Status s = book_->CloseAllOutages(now_);
  book_->Close(c.failed ? catalog::SessionStatus::kFailed : catalog::SessionStatus::kCompleted, now_, c.text);
  ibr::Status f = FlushAll(true);
  if (s.ok()) s = f;
  fan_out_.CloseAll("the recorder stopped");
  rejects_->Flush();
  if (s.ok()) {
    Log("session " + std::to_string(session_id_) + (c.failed ? " failed (" : " completed (") + c.text + "): " + std::to_string(ledger_.stored()) +
        " ticks stored");
  } else {
    Log("session " + std::to_string(session_id_) + " could not be closed cleanly (" + s.message() +
        "); the next start marks it failed");
  }
  Publish();
  c.done.set_value(s);
}

void WriterService::Periodic() {
  const TimeUs mono = clock_.MonotonicUs();
  if (mono - last_disk_ >= opt_.disk_check_interval) {
    last_disk_ = mono;
    CheckDisk();
    // After a storage error, a flush (it always writes the session row) is the
    // probe that tells when writes succeed again.
    if (!disk_->full() && !health_->healthy()) FlushAll(true);
  }
  if ((dirty_ || book_->dirty()) && mono - last_flush_ >= config_.fsync_interval) FlushAll(true);
  CollectSeals(true);
  if (mono - last_seal_ >= opt_.seal_check_interval) {
    last_seal_ = mono;
    SealDue();
  }
  if (mono - last_stats_ >= opt_.catalog_stats_interval) {
    last_stats_ = mono;
    RefreshCatalogStats();
  }
  if (retention_->RunIfDue(mono, fs_, store_->catalog(), clock_)) {
    publish_now_ = true;
    RefreshCatalogStats();  // files/bytes in total are the catalog's
  }
  if (!disk_->full()) {
    ibr::Status s = book_->RetryOutages();
    if (!s.ok()) OnStoreError(s, "recording an outage");
  }
  if (publish_now_ || mono - last_publish_ >= opt_.status_publish_interval) Publish();
}

ibr::Status WriterService::FlushAll(bool sync) {
  ibr::Status rs = rejects_->Flush();
  if (!rs.ok()) OnStoreError(rs, "writing the rejects quarantine");
  book_->AddRejects(rejects_->TakeUnflushedCounts());
  storage::PartitionWriter& w = store_->writer();
  bool wrote = false;  // the book's rows went into the transaction (committed or not)
  auto flushed = w.Flush(sync, [&](catalog::Catalog& cat) -> ibr::Status {
    wrote = true;
    return book_->Write(cat, w.unflushed());
  });
  // All or nothing: ok means the transaction (with the session's rows) committed,
  // and the report says which ticks it made durable.
  book_->AfterFlush(wrote, flushed.ok() ? &flushed->durable : nullptr);
  last_flush_ = clock_.MonotonicUs();
  if (flushed.ok()) {
    dirty_ = false;
    health_->OnCommitted();
    return Status::Ok();
  }
  OnStoreError(flushed.status(), sync ? "group commit" : "handing buffered ticks to the OS");
  AccountLosses(flushed.status().code(), nullptr);
  return flushed.status();
}

void WriterService::OnStoreError(const ibr::Status& s, const std::string& doing) {
  publish_now_ = true;
  health_->OnError(s, doing);
}

void WriterService::AccountLosses(StatusCode code, const Tick* refused) {
  storage::PartitionWriter& w = store_->writer();
  counters_.TakeBack(w.TakeLostTicks(), refused);
  ledger_.Reconcile(code, w);
}

void WriterService::SealDue() {
  CollectSeals(true);
  if (disk_->full()) return;  // sealing needs room for the compressed copy; wait for space
  if (dirty_ || book_->dirty()) FlushAll(true);  // counters ride on our flush, not the sealer's
  storage::PartitionWriter& w = store_->writer();
  const TimeUs cutoff = clock_.Now() - store_->options().seal_grace;
  auto closed = w.CloseHoursEndingBy(cutoff);
  if (!closed.ok()) {
    OnStoreError(closed.status(), "closing due hours for sealing");
    AccountLosses(closed.status().code(), nullptr);
    return;
  }
  seals_->Schedule(std::move(closed).value());
  auto left = seals_->SealLeftovers(w, cutoff);
  if (!left.ok()) {
    OnStoreError(left.status(), "listing open files to seal");
    return;
  }
  if (*left) {
    publish_now_ = true;
    RefreshCatalogStats();  // the sealed count is the catalog's
  }
}

void WriterService::CollectSeals(bool retry_failed) {
  const SealScheduler::Collected c = seals_->Collect(retry_failed);
  publish_now_ = publish_now_ || c.any;
  if (c.sealed) RefreshCatalogStats();  // the sealed count is the catalog's, not this session's
}

void WriterService::CheckDisk() {
  const DiskGuard::Change change = disk_->Check();
  publish_now_ = publish_now_ || change != DiskGuard::Change::kNone;
  switch (change) {
    case DiskGuard::Change::kBecameFull:
      Log("disk full (" + disk_->reason() + "): new ticks are dropped (counted, reason disk_full) until space returns");
      break;
    case DiskGuard::Change::kResumed:
      Log("disk space is back (" + std::to_string(disk_->free_bytes() >> 20) + " MB free): writing resumed; " +
          std::to_string(ledger_.dropped_disk_full()) + " ticks were dropped while full");
      health_->ClearError();
      break;
    case DiskGuard::Change::kNone:
      break;
  }
}

void WriterService::RefreshCatalogStats() {
  auto totals = ReadCatalogTotals(store_->catalog(), clock_.Now());
  if (!totals.ok()) {
    OnStoreError(totals.status(), "reading catalog statistics");
    return;
  }
  totals_ = *totals;
}

}  // namespace ibr::daemon
