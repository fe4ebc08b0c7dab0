// BatchIngest: NDJSON -> decoder -> writer/rejects/catalog, one session per input.
#include "storage/batch_ingest.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include <xxhash.h>

#include "common/json_text.h"
#include "common/time_text.h"
#include "ingest/line_intake.h"
#include "ingest/line_reader.h"
#include "ingest/outage_rule.h"
#include "ingest/v2_decoder.h"
#include "storage/layout.h"
#include "storage/reject_log.h"
#include "storage/seal_pool.h"

namespace ibr::storage {
namespace {

// Group commit: files synced and recorded in the catalog at least this often,
// so readers see progress and a crash loses at most this much of a batch.
constexpr std::int64_t kFlushIntervalUs = 1'000'000;

// XXH3-128 hex of bytes read in order by `read(offset, dst, n, &got)` (as LineReader hashes).
template <typename ReadAtFn>
Result<std::string> HashInput(ReadAtFn read) {
  XXH3_state_t* st = XXH3_createState();
  XXH3_128bits_reset(st);
  std::vector<char> buf(1 << 20);
  std::uint64_t off = 0;
  for (;;) {
    std::size_t got = 0;
    Status s = read(off, buf.data(), buf.size(), &got);
    if (!s.ok()) {
      XXH3_freeState(st);
      return s;
    }
    if (got == 0) break;
    XXH3_128bits_update(st, buf.data(), got);
    off += got;
  }
  XXH128_hash_t h = XXH3_128bits_digest(st);
  XXH3_freeState(st);
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return std::string(hex);
}

// pread of the caller's input file (a regular file: hashed before anything is stored).
Status PreadInput(int fd, std::uint64_t off, char* dst, std::size_t n, std::size_t* got) {
  for (;;) {
    ssize_t r = ::pread(fd, dst, n, static_cast<off_t>(off));
    if (r >= 0) {
      *got = static_cast<std::size_t>(r);
      return Status::Ok();
    }
    if (errno != EINTR) return Status::IoError(std::string("reading input: ") + std::strerror(errno));
  }
}

// Copies a pipe to a spool file inside the storage root (through the store's
// FileSystem) so its hash is known before anything is stored (duplicate input
// is refused before writing). A spool a crash left behind is replaced.
Status Spool(Store& store, int fd, const std::string& spool_path) {
  FileSystem& fs = store.fs();
  IBR_RETURN_IF_ERROR(fs.Remove(spool_path));
  auto out = fs.OpenTruncate(spool_path);
  if (!out.ok()) return out.status().WithContext("cannot create the input spool " + spool_path);
  std::vector<char> buf(1 << 20);
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(std::string("reading input: ") + std::strerror(errno));
    }
    if (n == 0) break;
    Status s = (*out)->Append(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    if (!s.ok()) {
      return s.code() == StatusCode::kDiskFull
                 ? Status::DiskFull("spooling input into " + spool_path + ": no space left (free space, then retry)")
                 : s.WithContext("spooling input into " + spool_path);
    }
  }
  return (*out)->Close();
}

struct PendingOutage {
  TimeUs start;
  std::string cause;
};

class Ingester {
 public:
  Ingester(Store& store, const BatchIngestOptions& o)
      : store_(store), o_(o), rejects_(store.options().root, store.fs(), store.clock(), o.source_name) {}

  Result<IngestSummary> Run(ingest::LineReader& reader, const std::string& hash);

 private:
  void OnLifecycle(const ingest::LifecycleEvent& ev);
  void SeeContract(std::uint32_t cid, TimeUs t);  // closes an open outage of cid at t
  Status FlushAll(bool sync);
  // Hands the rows to the sealing workers (started on first use), each once.
  Status SubmitSeals(std::vector<catalog::TickFileRow> rows);
  // While reading: hours the input is more than an hour past (and due by the
  // grace period) are closed and sealed beside the parsing.
  Status SealPassedHours();

  Store& store_;
  const BatchIngestOptions& o_;
  RejectLog rejects_;
  IngestSummary sum_;
  std::vector<catalog::StreamEventRow> events_;
  std::vector<catalog::OutageRow> outages_;
  std::map<std::uint32_t, PendingOutage> open_outages_;
  std::map<std::uint32_t, catalog::SessionContractRow> contracts_;
  TimeUs first_tick_ = 0, last_tick_ = 0;
  TimeUs latest_tick_ = 0;  // the input's latest tick so far (first_tick_/last_tick_ span it)
  TimeUs checked_hour_ = 0;  // hour of latest_tick_ at the last seal check
  bool any_tick_ = false;
  std::unique_ptr<SealPool> seal_pool_;
  std::set<std::int64_t> submitted_;  // tick file ids handed to the pool
};

Status Ingester::SubmitSeals(std::vector<catalog::TickFileRow> rows) {
  if (rows.empty()) return Status::Ok();
  if (!seal_pool_) {
    SealerOptions so;
    so.root = store_.options().root;
    so.instance_name = store_.instance().instance_name;
    so.lz4_level = store_.options().lz4_level;
    auto pool = SealPool::Start(so, store_.fs(), store_.clock(), CatalogPath(so.root),
                                WorkerCount(store_.options().workers));
    if (!pool.ok()) return pool.status();
    seal_pool_ = std::move(pool).value();
  }
  for (const auto& r : rows) {
    if (submitted_.insert(r.id).second) seal_pool_->Submit(r);
  }
  return Status::Ok();
}

Status Ingester::SealPassedHours() {
  if (!o_.seal || !any_tick_) return Status::Ok();
  const TimeUs cutoff = std::min(store_.clock().Now() - store_.options().seal_grace, latest_tick_ - kUsPerHour);
  auto closed = store_.writer().CloseHoursEndingBy(cutoff);
  if (!closed.ok()) return closed.status();
  sum_.sealed_while_reading += static_cast<std::int64_t>(closed->size());
  return SubmitSeals(std::move(closed).value());
}

void Ingester::SeeContract(std::uint32_t cid, TimeUs t) {
  auto it = open_outages_.find(cid);
  if (it != open_outages_.end()) {
    catalog::OutageRow o;
    o.collection_session_id = sum_.session_id;
    o.contract_id = cid;
    o.outage_start = it->second.start;
    o.outage_end = std::max(t, it->second.start);
    o.cause = it->second.cause;
    outages_.push_back(o);
    open_outages_.erase(it);
  }
}

void Ingester::OnLifecycle(const ingest::LifecycleEvent& ev) {
  ++sum_.lifecycle;
  catalog::StreamEventRow row;
  row.collection_session_id = sum_.session_id;
  row.stream_id = ev.stream_id;
  row.contract_id = ev.contract_id;
  row.tick_type = ev.tick_type;
  row.event_type = ev.type;
  const TimeUs when = ev.timestamp ? ev.timestamp : store_.clock().Now();
  row.event_time = when;
  row.code = ev.code;
  row.raw_message = ev.raw;
  events_.push_back(std::move(row));
  switch (ingest::OutageEffectOf(ev)) {
    case ingest::OutageEffect::kOpens:
      if (!open_outages_.count(*ev.contract_id)) open_outages_[*ev.contract_id] = {when, ingest::OutageCause(ev)};
      break;
    case ingest::OutageEffect::kCloses:
      SeeContract(*ev.contract_id, when);
      break;
    case ingest::OutageEffect::kNone:
      break;
  }
}

Status Ingester::FlushAll(bool sync) {
  IBR_RETURN_IF_ERROR(rejects_.Flush());
  auto reject_counts = rejects_.TakeUnflushedCounts();
  auto events = std::move(events_);
  events_.clear();
  auto outages = std::move(outages_);
  outages_.clear();
  auto flushed = store_.writer().Flush(sync, [&](catalog::Catalog& cat) -> Status {
    if (!reject_counts.empty()) IBR_RETURN_IF_ERROR(cat.AddRejects(sum_.session_id, reject_counts));
    for (const auto& e : events) {
      auto r = cat.InsertStreamEvent(e);
      if (!r.ok()) return r.status();
    }
    for (const auto& o : outages) {
      auto r = cat.InsertOutage(o);
      if (!r.ok()) return r.status();
    }
    return Status::Ok();
  });
  return flushed.status();
}

Result<IngestSummary> Ingester::Run(ingest::LineReader& reader, const std::string& hash) {
  catalog::Catalog& cat = store_.catalog();
  const Clock& clock = store_.clock();
  sum_.content_hash = hash;
  catalog::SessionRow session;
  session.server_instance_id = store_.instance().id;
  session.session_start = clock.Now();
  session.status = catalog::SessionStatus::kActive;
  session.kind = o_.session_kind == "import" ? catalog::SessionKind::kImport : catalog::SessionKind::kIngest;
  nlohmann::json snap = {{"source", o_.source_name}, {"content_hash", hash}, {"force", o_.force}};
  session.config_snapshot = SafeDump(snap);
  auto sid = cat.InsertSession(session);
  if (!sid.ok()) return sid.status();
  session.id = sum_.session_id = *sid;

  ingest::LineIntake intake;
  ingest::DecodeResult res;
  ingest::Line line;
  TimeUs now = clock.Now();
  std::int64_t since_flush = 0;
  std::int64_t last_flush_us = clock.MonotonicUs();
  Status store_status;
  while (reader.Next(&line)) {
    ++sum_.lines;
    intake.Decode(line, now, true, res);
    switch (res.kind) {
      case ingest::DecodeResult::Kind::kTick: {
        if (!store_status.ok()) {
          ++sum_.dropped;
          break;
        }
        Status s = store_.writer().Append(res.tick);
        if (!s.ok()) {
          store_status = s;
          ++sum_.dropped;
          break;
        }
        ++sum_.accepted;
        const Tick& t = res.tick;
        latest_tick_ = std::max(latest_tick_, t.timestamp_us);
        if (!any_tick_) {
          first_tick_ = last_tick_ = t.timestamp_us;
          any_tick_ = true;
        } else {
          first_tick_ = std::min(first_tick_, t.timestamp_us);
          last_tick_ = std::max(last_tick_, t.timestamp_us);
        }
        if (!open_outages_.empty()) SeeContract(t.contract_id, t.timestamp_us);
        {
          auto& c = contracts_[t.contract_id];
          if (c.messages_collected == 0) {
            c.contract_id = t.contract_id;
            c.first_message_time = c.last_message_time = t.timestamp_us;
          }
          ++c.messages_collected;
          if (t.timestamp_us < *c.first_message_time) c.first_message_time = t.timestamp_us;
          if (t.timestamp_us > *c.last_message_time) c.last_message_time = t.timestamp_us;
          auto& tts = c.tick_types;
          if (std::find(tts.begin(), tts.end(), t.tick_type) == tts.end()) tts.push_back(t.tick_type);
        }
        if (++since_flush >= o_.check_every_ticks) {
          since_flush = 0;
          now = clock.Now();
          Status fs;
          if (clock.MonotonicUs() - last_flush_us >= kFlushIntervalUs) {
            last_flush_us = clock.MonotonicUs();
            fs = FlushAll(true);
          }
          if (fs.ok() && HourBucket(latest_tick_) != checked_hour_) {
            checked_hour_ = HourBucket(latest_tick_);  // at most one seal check per input hour
            fs = SealPassedHours();
          }
          if (!fs.ok()) store_status = fs;
        }
        break;
      }
      case ingest::DecodeResult::Kind::kLifecycle:
        OnLifecycle(res.lifecycle);
        break;
      case ingest::DecodeResult::Kind::kHeartbeat:
        ++sum_.heartbeats;
        break;
      case ingest::DecodeResult::Kind::kReject:
        rejects_.Add(line.number, res.reason, line.text, res.detail);
        break;
    }
  }
  if (!reader.status().ok()) store_status = reader.status();

  // Close the session: it spans the data's first to last tick.
  session.session_start = any_tick_ ? first_tick_ : session.session_start;
  session.session_end = any_tick_ ? last_tick_ : session.session_start;
  for (auto& [cid, po] : open_outages_) {
    catalog::OutageRow o;
    o.collection_session_id = session.id;
    o.contract_id = cid;
    o.outage_start = po.start;
    o.outage_end = std::max(*session.session_end, po.start);
    o.cause = po.cause;
    outages_.push_back(o);
  }
  open_outages_.clear();
  sum_.rejected = static_cast<std::int64_t>(rejects_.total());
  sum_.reasons = rejects_.counts();
  sum_.rejects_not_kept = static_cast<std::int64_t>(rejects_.not_kept());
  session.total_messages_collected = sum_.accepted;
  session.total_storage_bytes = static_cast<std::int64_t>(store_.writer().bytes_written());
  session.status = store_status.ok() ? catalog::SessionStatus::kCompleted : catalog::SessionStatus::kFailed;
  session.termination_reason = (o_.session_kind == "import" ? "import of " : "ingest of ") + o_.source_name + ": " +
                               std::to_string(sum_.accepted) + " ticks, " + std::to_string(sum_.rejected) +
                               " rejected" + (store_status.ok() ? "" : "; stopped storing: " + store_status.message());
  Status flush = store_status.ok() ? FlushAll(true) : Status::Ok();
  if (!flush.ok()) store_status = flush;
  {
    catalog::Transaction txn(cat.db());
    IBR_RETURN_IF_ERROR(txn.status());
    for (auto& [cid, c] : contracts_) {
      c.collection_session_id = session.id;
      IBR_RETURN_IF_ERROR(cat.UpsertSessionContract(c));
      catalog::ContractRow cr;
      cr.contract_id = cid;
      IBR_RETURN_IF_ERROR(cat.UpsertContract(cr));
    }
    if (!store_status.ok()) {
      // Whatever did get stored still gets its events recorded.
      for (const auto& e : events_) {
        auto r = cat.InsertStreamEvent(e);
        if (!r.ok()) return r.status();
      }
    }
    for (const auto& o : outages_) {
      auto r = cat.InsertOutage(o);
      if (!r.ok()) return r.status();
    }
    auto rest = rejects_.TakeUnflushedCounts();
    if (!rest.empty()) IBR_RETURN_IF_ERROR(cat.AddRejects(session.id, rest));
    IBR_RETURN_IF_ERROR(cat.UpdateSession(session));
    catalog::IngestedSourceRow src;
    src.content_hash = hash;
    src.source_name = o_.source_name;
    src.source_kind = o_.session_kind;
    src.bytes = static_cast<std::int64_t>(reader.bytes_read());
    src.lines = sum_.lines;
    src.accepted = sum_.accepted;
    src.rejected = sum_.rejected;
    src.collection_session_id = session.id;
    src.ingested_at = clock.Now();
    if (store_status.ok()) {
      auto r = cat.InsertIngestedSource(src);
      if (!r.ok()) return r.status();
    }
    IBR_RETURN_IF_ERROR(txn.Commit());
  }
  events_.clear();
  outages_.clear();
  sum_.files = static_cast<std::int64_t>(store_.writer().files_touched());
  if (!store_status.ok()) {
    sum_.store_error = store_status.ToString();
    return sum_;
  }
  if (o_.seal) {
    // What is due now joins what the workers already seal; wait for all of it.
    auto due = store_.CloseDue(clock.Now() - store_.options().seal_grace);
    Status s = due.ok() ? SubmitSeals(std::move(due).value()) : due.status();
    if (seal_pool_) sum_.seal = seal_pool_->Finish();
    if (!s.ok()) {
      sum_.store_error = s.ToString();
      return sum_;
    }
  }
  return sum_;
}

}  // namespace

Result<IngestSummary> IngestFromFd(Store& store, int fd, const BatchIngestOptions& options) {
  struct stat st {};
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  FileSystem& fs = store.fs();
  const std::string spool_path = JoinPath(MetadataDir(store.options().root), "ingest-spool.tmp");
  std::unique_ptr<ReadableFile> spooled;
  if (!regular) {
    Status s = Spool(store, fd, spool_path);
    if (s.ok()) {
      auto f = fs.OpenRead(spool_path);
      if (f.ok()) spooled = std::move(f).value();
      s = f.status();
    }
    if (!s.ok()) {
      (void)fs.Remove(spool_path);
      return s;
    }
  }
  // Whatever happens next, the spool goes (a crash leaves it to the next spool).
  struct SpoolRemover {
    FileSystem& fs;
    const std::string& path;
    bool active;
    ~SpoolRemover() {
      if (active) (void)fs.Remove(path);
    }
  } remover{fs, spool_path, spooled != nullptr};
  auto hash = spooled ? HashInput([&](std::uint64_t off, char* dst, std::size_t n, std::size_t* got) {
    return spooled->ReadAt(off, n, dst, got);
  })
                      : HashInput([&](std::uint64_t off, char* dst, std::size_t n, std::size_t* got) {
                          return PreadInput(fd, off, dst, n, got);
                        });
  if (!hash.ok()) return hash.status();
  if (!options.force) {
    auto seen = store.catalog().FindIngestedSource(*hash);
    if (!seen.ok()) return seen.status();
    if (seen->has_value()) {
      const auto& s = **seen;
      return Status::AlreadyExists("this input (content hash " + *hash + ") was already ingested from '" +
                                   s.source_name + "' at " + FormatIsoTimestamp(s.ingested_at) + " (" +
                                   std::to_string(s.accepted) + " ticks); use --force to ingest it again");
    }
  }
  if (!spooled) ::lseek(fd, 0, SEEK_SET);
  auto reader = spooled ? std::make_unique<ingest::LineReader>(*spooled) : std::make_unique<ingest::LineReader>(fd);
  Ingester ingester(store, options);
  return ingester.Run(*reader, *hash);
}

}  // namespace ibr::storage
