// SessionBook: instance, session, session contracts, events, outages, rejects.
#include "daemon/session_book.h"

#include <algorithm>

namespace ibr::daemon {
namespace {

constexpr std::size_t kMaxPendingEvents = 10'000;

// Adds what one flush made durable to a session contract's counters.
void Accumulate(catalog::SessionContractRow& sc, const storage::FlushedContract& fc) {
  sc.messages_collected += fc.ticks;
  sc.storage_bytes += fc.bytes;
  sc.first_message_time = sc.first_message_time ? std::min(*sc.first_message_time, fc.first_time) : fc.first_time;
  sc.last_message_time = sc.last_message_time ? std::max(*sc.last_message_time, fc.last_time) : fc.last_time;
}

}  // namespace

Result<std::unique_ptr<SessionBook>> SessionBook::Open(storage::Store& store, const RecorderConfig& config, TimeUs now) {
  std::unique_ptr<SessionBook> book(new SessionBook(store.catalog()));
  catalog::Catalog& cat = store.catalog();
  catalog::Transaction txn(cat.db());
  IBR_RETURN_IF_ERROR(txn.status());

  catalog::InstanceRow inst = store.instance();
  inst.server_version = IBR_VERSION;
  inst.host = storage::HostName();
  inst.port = config.recorder_port;
  inst.storage_path = config.storage_path;
  inst.environment = config.environment;
  inst.tws_client_id = config.client_id;
  auto iid = cat.UpsertInstance(inst);
  if (!iid.ok()) return iid.status();

  catalog::SessionRow& s = book->session_;
  s.server_instance_id = *iid;
  s.session_start = now;
  s.status = catalog::SessionStatus::kActive;
  s.kind = catalog::SessionKind::kRun;
  s.config_snapshot = config.SnapshotJson();
  auto sid = cat.InsertSession(s);
  if (!sid.ok()) return sid.status();
  s.id = *sid;

  for (const auto& t : config.tracked) {
    catalog::SessionContractRow sc;
    sc.collection_session_id = s.id;
    sc.contract_id = t.contract_id;
    sc.symbol = t.symbol;
    sc.tick_types = t.tick_types;
    IBR_RETURN_IF_ERROR(cat.UpsertSessionContract(sc));
    book->contracts_[t.contract_id] = sc;
    for (TickType tt : t.tick_types) book->seen_.insert({t.contract_id, tt});
    catalog::ContractRow cr;
    cr.contract_id = t.contract_id;
    cr.symbol = t.symbol;
    cr.tracked = true;
    cr.active = true;
    cr.tick_types = t.tick_types;
    cr.buffer_hours = t.buffer_hours;
    IBR_RETURN_IF_ERROR(cat.UpsertContract(cr));
  }
  IBR_RETURN_IF_ERROR(book->UntrackDropped(config));
  IBR_RETURN_IF_ERROR(txn.Commit());
  return book;
}

Status SessionBook::UntrackDropped(const RecorderConfig& config) {
  auto known = cat_.ListContracts();
  if (!known.ok()) return known.status();
  for (const auto& row : *known) {
    if (!row.tracked) continue;
    const bool listed = std::any_of(config.tracked.begin(), config.tracked.end(),
                                    [&](const TrackedContract& t) { return t.contract_id == row.contract_id; });
    if (listed) continue;
    auto changed = cat_.UntrackContract(row.contract_id);
    if (!changed.ok()) return changed.status();
    if (*changed) untracked_.push_back(row.contract_id);
  }
  return Status::Ok();
}

void SessionBook::NoteNewStream(std::uint32_t contract_id, TickType tick_type) {
  auto [it, inserted] = contracts_.try_emplace(contract_id);
  catalog::SessionContractRow& sc = it->second;
  if (inserted) {
    sc.collection_session_id = session_.id;
    sc.contract_id = contract_id;
    new_contracts_.insert(contract_id);
  }
  if (std::find(sc.tick_types.begin(), sc.tick_types.end(), tick_type) == sc.tick_types.end()) {
    sc.tick_types.push_back(tick_type);
  }
  contracts_dirty_ = true;
}

void SessionBook::AddEvent(catalog::StreamEventRow row) {
  if (events_.size() >= kMaxPendingEvents) {
    ++events_dropped_;
    return;
  }
  row.collection_session_id = session_.id;
  events_.push_back(std::move(row));
}

void SessionBook::AddRejects(const std::map<std::string, std::int64_t>& by_reason) {
  for (const auto& [r, n] : by_reason) rejects_[r] += n;
}

Status SessionBook::PersistOutage(catalog::OutageRow& row) {
  if (row.id == 0) {
    auto id = cat_.InsertOutage(row);
    if (!id.ok()) return id.status();
    row.id = *id;
    return Status::Ok();
  }
  return cat_.UpdateOutage(row);
}

Status SessionBook::OpenOutage(std::uint32_t contract_id, std::optional<TickType> tt, TimeUs start,
                               const std::string& cause) {
  if (HasOpenOutage(contract_id)) return Status::Ok();
  catalog::OutageRow& o = open_outages_[contract_id];
  o.collection_session_id = session_.id;
  o.contract_id = contract_id;
  o.tick_type = tt;
  o.outage_start = start;
  o.cause = cause;
  ++outage_counts_[contract_id];
  return PersistOutage(o);
}

Status SessionBook::CloseOutage(std::uint32_t contract_id, TimeUs end) {
  auto it = open_outages_.find(contract_id);
  if (it == open_outages_.end()) return Status::Ok();
  catalog::OutageRow o = std::move(it->second);
  open_outages_.erase(it);
  o.outage_end = std::max(end, o.outage_start);
  Status s = PersistOutage(o);
  if (!s.ok()) unsaved_closed_.push_back(std::move(o));
  return s;
}

Status SessionBook::CloseAllOutages(TimeUs end) {
  Status first;
  while (!open_outages_.empty()) {
    Status s = CloseOutage(open_outages_.begin()->first, end);
    if (first.ok()) first = s;
  }
  return first;
}

Status SessionBook::RetryOutages() {
  for (auto& [cid, o] : open_outages_) {
    if (o.id == 0) IBR_RETURN_IF_ERROR(PersistOutage(o));
  }
  while (!unsaved_closed_.empty()) {
    IBR_RETURN_IF_ERROR(PersistOutage(unsaved_closed_.back()));
    unsaved_closed_.pop_back();
  }
  return Status::Ok();
}

std::uint64_t SessionBook::outages_opened(std::uint32_t contract_id) const {
  auto it = outage_counts_.find(contract_id);
  return it == outage_counts_.end() ? 0 : it->second;
}

Status SessionBook::Write(catalog::Catalog& cat, const Counts& unflushed) {
  catalog::SessionRow s = session_;
  for (const auto& [cid, fc] : unflushed) {
    s.total_messages_collected += fc.ticks;
    s.total_storage_bytes += fc.bytes;
  }
  for (const auto& [cid, row] : contracts_) {
    auto u = unflushed.find(cid);
    if (u == unflushed.end() && !contracts_dirty_) continue;
    catalog::SessionContractRow sc = row;
    if (u != unflushed.end() && u->second.ticks > 0) {
      const auto& fc = u->second;
      Accumulate(sc, fc);
      catalog::ContractRow cr;  // tracked = false: merges first/last seen, leaves configuration alone
      cr.contract_id = cid;
      cr.symbol = row.symbol;
      cr.first_seen = fc.first_time;
      cr.last_seen = fc.last_time;
      IBR_RETURN_IF_ERROR(cat.UpsertContract(cr));
    } else if (new_contracts_.count(cid)) {
      catalog::ContractRow cr;
      cr.contract_id = cid;
      IBR_RETURN_IF_ERROR(cat.UpsertContract(cr));
    }
    IBR_RETURN_IF_ERROR(cat.UpsertSessionContract(sc));
  }
  for (const auto& e : events_) {
    auto r = cat.InsertStreamEvent(e);
    if (!r.ok()) return r.status();
  }
  if (!rejects_.empty()) IBR_RETURN_IF_ERROR(cat.AddRejects(session_.id, rejects_));
  return cat.UpdateSession(s);
}

void SessionBook::AfterFlush(bool wrote, const Counts* durable) {
  if (wrote) {
    events_.clear();
    rejects_.clear();
  }
  if (durable) {
    for (const auto& [cid, fc] : *durable) {
      if (fc.ticks == 0) continue;
      session_.total_messages_collected += fc.ticks;
      session_.total_storage_bytes += fc.bytes;
      auto& sc = contracts_[cid];
      if (sc.contract_id == 0) {
        sc.collection_session_id = session_.id;
        sc.contract_id = cid;
      }
      Accumulate(sc, fc);
    }
    contracts_dirty_ = false;
    session_dirty_ = false;
    new_contracts_.clear();
  }
}

void SessionBook::Close(catalog::SessionStatus status, TimeUs end, const std::string& reason) {
  session_.status = status;
  session_.session_end = end;
  session_.termination_reason = reason;
  session_dirty_ = true;
}

}  // namespace ibr::daemon
