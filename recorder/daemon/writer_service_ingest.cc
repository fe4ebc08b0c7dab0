// WriterService ingest batches: group commit of the batches queued together (issue 14).
// Every batch of a group is decoded and appended in queue order, then one FlushAll makes
// them all durable (one fdatasync per touched file, one catalog transaction) before any of
// them is acknowledged. All or nothing per group: a failed write rolls the files back to
// their catalog rows and every batch of the group is refused (nothing of it kept).
#include <set>
#include <tuple>

#include "daemon/writer_service.h"
#include "ingest/line_intake.h"
#include "storage/layout.h"

namespace ibr::daemon {

void WriterService::StoreBatchLines(Command& c, IngestAck& ack, std::uint64_t lost_before, bool& refused) {
  storage::PartitionWriter& w = store_->writer();
  std::set<std::tuple<std::uint32_t, TickType, TimeUs>> files;
  rejects_->BeginBatch();
  thread_local ingest::LineIntake intake;
  ingest::DecodeResult res;
  ingest::BodyLines lines(c.body);
  ingest::Line line;
  while (lines.Next(&line)) {
    intake.Decode(line, c.at, false, res);
    LineItem li = ToLineItem(std::move(res), line.number, line.text);
    if (auto* t = std::get_if<Tick>(&li)) {
      if (refused) {
        ++ack.dropped;
        if (disk_->full()) {
          ledger_.DropDiskFull();
        } else {
          ledger_.DropIoError();
        }
        continue;
      }
      const bool was_full = disk_->full();
      if (HandleTick(*t)) {
        ++ack.accepted;
        files.insert({t->contract_id, t->tick_type, HourBucket(t->timestamp_us)});
      } else {
        ++ack.dropped;
        // A store error on this tick (not the disk guard's refusal while full): stop here.
        refused = !was_full;
      }
      refused = refused || w.ticks_lost() > lost_before;
    } else if (auto* ev = std::get_if<ingest::LifecycleEvent>(&li)) {
      HandleLifecycle(*ev);
      ++ack.lifecycle;
    } else if (std::holds_alternative<HeartbeatItem>(li)) {
      ++heartbeats_;
    } else if (auto* r = std::get_if<RejectItem>(&li)) {
      HandleReject(*r);
    }
  }
  ack.rejected = static_cast<std::int64_t>(rejects_->batch_total());
  ack.reasons = rejects_->batch_counts();
  ack.rejects_not_kept = static_cast<std::int64_t>(rejects_->EndBatch());
  ack.files = static_cast<std::int64_t>(files.size());
  c.body.clear();
  c.body.shrink_to_fit();
}

void WriterService::HandleIngestGroup(const std::vector<Command*>& group) {
  storage::PartitionWriter& w = store_->writer();
  // The group starts at a commit point: ticks of live sources buffered before
  // it are committed (or rolled back) on their own, so a refused group can be
  // taken out of the files without touching anything else.
  if (dirty_ || !w.unflushed().empty()) FlushAll(true);
  const std::uint64_t lost_before = w.ticks_lost();
  bool refused = false;  // a write failed: the rest of the group is not even tried
  std::vector<IngestAck> acks(group.size());
  for (std::size_t i = 0; i < group.size(); ++i) StoreBatchLines(*group[i], acks[i], lost_before, refused);
  // Answer only once the accepted ticks are durable (fdatasync + catalog commit),
  // and with the status already showing what the group did. A flush is all or
  // nothing, and a failed write rolled the files back to their catalog rows:
  // a refused group leaves none of its ticks behind.
  ibr::Status s = refused ? ibr::Status::Ok() : FlushAll(true);
  if (s.ok() && (refused || w.ticks_lost() > lost_before)) {
    s = disk_->full() ? Status::DiskFull("a write failed during the batch (disk full)")
                      : Status::IoError("a write failed during the batch (" + health_->last_error() + ")");
  }
  if (!s.ok() && !w.unflushed().empty()) {
    // Defensive: nothing of a refused group may reach a later commit.
    ibr::Status r = w.Rollback();
    if (!r.ok()) Log("could not cut a refused batch out of the files (" + r.message() + "); the next start does");
    AccountLosses(s.code(), nullptr);
  }
  Publish();
  for (std::size_t i = 0; i < group.size(); ++i) {
    Command& c = *group[i];
    if (s.ok()) {
      c.ack.set_value(std::move(acks[i]));
    } else if (s.code() == StatusCode::kDiskFull) {
      c.ack.set_value(Status::DiskFull("the batch could not be made durable (" + s.message() +
                                       "): nothing of it was kept, treat it as not stored; /health says when to send it again"));
    } else {
      c.ack.set_value(Status::IoError("the batch could not be made durable (" + s.message() +
                                      "): nothing of it was kept, treat it as not stored"));
    }
  }
}

}  // namespace ibr::daemon
