// SessionBook: the catalog record of one `run` session — instance row, session row and
// totals, session contracts and their counters, contracts, stream events, outages, reject
// counts. Counters and events are written by Write() inside the writer's flush transaction;
// outages are committed when they open and close (a crash leaves an open one visible).
// Writer thread only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "daemon/recorder_config.h"
#include "storage/partition_writer.h"
#include "storage/store.h"

namespace ibr::daemon {

class SessionBook {
 public:
  using Counts = std::map<std::uint32_t, storage::FlushedContract>;

  // Registers the instance and opens an `active` session with the tracked
  // contracts, in one transaction; contracts the catalog has as tracked that
  // the configuration no longer lists are untracked in the same transaction.
  static Result<std::unique_ptr<SessionBook>> Open(storage::Store& store, const RecorderConfig& config, TimeUs now);
  // The contracts Open() untracked (they left IB_STREAM_TRACKED_CONTRACTS).
  const std::vector<std::uint32_t>& untracked() const { return untracked_; }

  std::int64_t session_id() const { return session_.id; }
  TimeUs session_start() const { return session_.session_start; }

  // A tick of (contract, type) was stored: an untracked contract (HTTP
  // ingest) gets its session contract row here.
  void NoteTick(std::uint32_t contract_id, TickType tick_type) {
    if (seen_.insert({contract_id, tick_type}).second) NoteNewStream(contract_id, tick_type);
  }
  void AddEvent(catalog::StreamEventRow row);
  void AddRejects(const std::map<std::string, std::int64_t>& by_reason);
  std::uint64_t events_dropped() const { return events_dropped_; }

  // Outages: at most one open per contract; committed at once (own
  // transaction). Errors leave the change pending for RetryOutages().
  bool HasOpenOutage(std::uint32_t contract_id) const { return open_outages_.count(contract_id) > 0; }
  Status OpenOutage(std::uint32_t contract_id, std::optional<TickType> tt, TimeUs start, const std::string& cause);
  Status CloseOutage(std::uint32_t contract_id, TimeUs end);
  Status CloseAllOutages(TimeUs end);
  Status RetryOutages();
  std::uint64_t outages_opened(std::uint32_t contract_id) const;

  // Inside the flush transaction: session, session contracts and contracts as
  // they are once `unflushed` (the ticks this flush makes durable) is; pending
  // stream events and reject counts. Call AfterFlush once Flush returned.
  Status Write(catalog::Catalog& cat, const Counts& unflushed);
  // `wrote`: Write() ran in that flush (its events are then not written again:
  // at most once if the commit itself failed). `durable`: the ticks the flush
  // made durable, or null when it did not commit.
  void AfterFlush(bool wrote, const Counts* durable);
  bool dirty() const { return !events_.empty() || !rejects_.empty() || contracts_dirty_ || session_dirty_; }

  // Sets the closing state written by the next Write().
  void Close(catalog::SessionStatus status, TimeUs end, const std::string& reason);

 private:
  explicit SessionBook(catalog::Catalog& cat) : cat_(cat) {}
  void NoteNewStream(std::uint32_t contract_id, TickType tick_type);
  Status UntrackDropped(const RecorderConfig& config);
  Status PersistOutage(catalog::OutageRow& row);

  catalog::Catalog& cat_;
  catalog::SessionRow session_;
  std::map<std::uint32_t, catalog::SessionContractRow> contracts_;  // durable counters
  std::set<std::uint32_t> new_contracts_;                            // need a contracts row
  std::set<std::pair<std::uint32_t, TickType>> seen_;
  bool contracts_dirty_ = false;
  bool session_dirty_ = false;
  std::vector<catalog::StreamEventRow> events_;
  std::uint64_t events_dropped_ = 0;
  std::map<std::string, std::int64_t> rejects_;
  std::map<std::uint32_t, catalog::OutageRow> open_outages_;
  std::vector<catalog::OutageRow> unsaved_closed_;  // closed, but the close is not committed yet
  std::map<std::uint32_t, std::uint64_t> outage_counts_;
  std::vector<std::uint32_t> untracked_;
};

}  // namespace ibr::daemon
