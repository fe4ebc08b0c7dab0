#include "sync_agent.h"

#include <cstdio>
#include <future>

#include "pg/dsn.h"

namespace ibr::sync {
namespace {

std::string SecondsText(TimeUs us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(us) / kUsPerSecond);
  return buf;
}

}  // namespace

SyncAgent::SyncAgent(AgentOptions options, CentralStore& store, const Clock& clock, Sleeper& sleeper,
                     FileSystem& fs, LogFn log, std::function<double()> uniform01)
    : options_(std::move(options)),
      store_(store),
      clock_(clock),
      sleeper_(sleeper),
      fs_(fs),
      log_(std::move(log)),
      backoff_(BackoffPolicy{options_.backoff_initial, options_.backoff_max, 0, Jitter::kEqual}, clock_,
               std::move(uniform01)) {
  if (!log_) log_ = [](const std::string&) {};
}

Result<SyncAgent::PassResult> SyncAgent::SyncPending(bool full_resend) {
  if (!fs_.Exists(options_.catalog_path)) {
    return Status::NotFound("no catalog at " + options_.catalog_path + " yet (has the recorder run on this root?)");
  }
  auto reader = CatalogReader::Open(options_.catalog_path);
  if (!reader.ok()) return reader.status();
  auto head = (*reader)->ReadHead();
  if (!head.ok()) return head.status();
  if (!head->instance) {
    return Status::NotFound("catalog " + options_.catalog_path + " has no instance yet (the recorder has not run)");
  }
  state_.instance_name = head->instance_name;
  state_.generation = head->generation;
  state_.catalog_max_change_no = head->max_change_no;

  auto loaded = store_.LoadPosition(head->instance_name);
  if (!loaded.ok()) return loaded.status();
  SyncPosition pos = *loaded;
  OnReachable(**reader, *head, pos);

  // A different generation is a rebuilt catalog; a position past the catalog's
  // end means it was replaced by an older copy: both are re-sent in full.
  bool start = full_resend || pos.generation != head->generation || pos.change_no > head->max_change_no;
  std::int64_t after = start ? 0 : pos.change_no;
  PassResult result;
  result.position = pos;
  result.catalog_max_change_no = head->max_change_no;
  // The next window is read while the current one is applied (the reader is used by one thread
  // at a time: the prefetch runs only while this thread waits on the store).
  CatalogReader& r = **reader;
  const std::size_t limit = options_.batch_rows;
  auto batch = r.ReadBatch(after, limit);
  std::future<Result<Batch>> next;
  while (!sleeper_.stop_requested()) {
    if (!batch.ok()) return batch.status();
    result.catalog_max_change_no = batch->catalog_max_change_no;
    state_.catalog_max_change_no = batch->catalog_max_change_no;
    if (!start && !pos.resend_pending && batch->to_change_no == after) break;  // nothing new
    batch->expected = pos;
    batch->starts_pass = start;
    for (const auto& w : batch->warnings) log_("warning: " + w);
    if (!batch->reaches_end) {
      next = std::async(std::launch::async, [&r, limit, from = batch->to_change_no] { return r.ReadBatch(from, limit); });
    }
    auto applied = store_.ApplyBatch(*batch);
    if (!applied.ok()) return applied.status();  // (a pending prefetch is waited for by ~future)
    pos = *applied;
    start = false;
    after = pos.change_no;
    result.rows += static_cast<std::int64_t>(batch->RowCount());
    result.batches += 1;
    result.position = pos;
    state_.position = pos.change_no;
    if (batch->reaches_end) break;
    // A long pass (a full re-send) keeps the state file fresh, so readers do not take it for dead.
    state_.state = "syncing";
    WriteState();
    batch = next.get();
  }
  if (next.valid()) next.wait();
  OnPassDone(**reader, result);
  return result;
}

void SyncAgent::OnReachable(CatalogReader& reader, const CatalogReader::Head& head, const SyncPosition& pos) {
  if (link_ == Link::kDown) {
    const std::int64_t after = pos.generation == head.generation ? pos.change_no : 0;
    auto behind = reader.CountPending(after);
    log_("postgres reachable again, " + (behind.ok() ? std::to_string(*behind) : std::string("?")) + " rows behind");
  }
  link_ = Link::kUp;
  if (pos.generation == head.generation) state_.position = pos.change_no;
}

void SyncAgent::UpdateLag(CatalogReader& reader, std::int64_t after) {
  auto behind = reader.CountPending(after);
  state_.rows_behind = behind.ok() ? std::optional<std::int64_t>(*behind) : std::nullopt;
  state_.seconds_behind = behind.ok() ? std::optional<double>(0.0) : std::nullopt;
  if (behind.ok() && *behind > 0) {
    auto oldest = reader.OldestPendingChange(after);
    if (oldest.ok() && *oldest) {
      state_.seconds_behind = std::max(0.0, static_cast<double>(clock_.Now() - **oldest) / 1e6);
    }
  }
}

void SyncAgent::OnPassDone(CatalogReader& reader, const PassResult& r) {
  if (!last_logged_error_.empty()) {
    log_("syncing again");
    last_logged_error_.clear();
  }
  UpdateLag(reader, r.position.change_no);
  state_.position = r.position.change_no;
  state_.state = state_.rows_behind == 0 ? "caught_up" : "syncing";
  state_.last_success = clock_.Now();
  state_.last_error.reset();
}

void SyncAgent::OnFailure(const Status& s) {
  const std::string msg = pg::MaskSecrets(s.message());
  state_.last_error = msg;
  switch (s.code()) {
    case StatusCode::kUnavailable:
      state_.state = "unreachable";
      if (link_ != Link::kDown) {
        // The daemon loop adds when it tries again (it knows the backoff); `once` just says it.
        if (in_loop_) {
          pending_log_ = "postgres unreachable: " + msg;
        } else {
          log_("postgres unreachable: " + msg);
        }
      }
      link_ = Link::kDown;
      return;
    case StatusCode::kNotFound:
      state_.state = "waiting";
      break;
    case StatusCode::kBusy:
      state_.state = "syncing";
      break;
    default:
      state_.state = "error";
  }
  if (msg != last_logged_error_) log_(s.code() == StatusCode::kNotFound ? "waiting: " + msg : "sync error: " + msg);
  last_logged_error_ = msg;
}

void SyncAgent::WriteState() {
  if (options_.state_path.empty()) return;
  state_.updated_at = clock_.Now();
  Status s = WriteSyncState(fs_, options_.state_path, state_);
  if (!s.ok() && s.message() != last_logged_error_) {
    log_("warning: cannot write " + options_.state_path + ": " + s.message());
    last_logged_error_ = s.message();
  }
}

Result<SyncAgent::PassResult> SyncAgent::Pass(bool full_resend) {
  auto r = SyncPending(full_resend);
  if (!r.ok()) {
    OnFailure(r.status());
    // The lag keeps growing while the store is away: measure it from the last known position.
    if (state_.position && fs_.Exists(options_.catalog_path)) {
      auto reader = CatalogReader::Open(options_.catalog_path);
      if (reader.ok()) UpdateLag(**reader, *state_.position);
    }
  }
  return r;
}

Result<SyncAgent::PassResult> SyncAgent::RunPass(bool full_resend) {
  auto r = Pass(full_resend);
  state_.next_pass_in.reset();  // a one-shot pass promises no next one
  WriteState();
  return r;
}

void SyncAgent::Run() {
  in_loop_ = true;
  state_.poll_interval = options_.interval;
  while (!sleeper_.stop_requested()) {
    auto r = Pass(false);
    TimeUs wait = options_.interval;
    if (r.ok()) {
      backoff_.Reset();
    } else if (r.status().code() != StatusCode::kNotFound && r.status().code() != StatusCode::kBusy) {
      wait = backoff_.Failed();  // waiting for a catalog or losing a race to another agent: just poll
    }
    if (!pending_log_.empty()) {
      log_(pending_log_ + "; reconnecting in " + SecondsText(wait));
      pending_log_.clear();
    }
    state_.next_pass_in = wait;
    WriteState();
    if (!sleeper_.SleepFor(wait)) break;
  }
  if (!pending_log_.empty()) log_(pending_log_);
  pending_log_.clear();
  in_loop_ = false;
  state_.state = "stopped";
  state_.next_pass_in.reset();
  WriteState();
}

}  // namespace ibr::sync
