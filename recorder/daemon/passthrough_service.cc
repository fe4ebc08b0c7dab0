// PassthroughService: relays opened per contract on demand, shared, closed with the last client.
#include "daemon/passthrough_service.h"

#include <algorithm>

#include "daemon/minute_window.h"
#include "daemon/status_snapshot.h"
#include "ingest/reject_reason.h"
#include "storage/layout.h"

namespace ibr::daemon {
namespace {

constexpr std::size_t kRelaySubscriberQueue = 10'000;  // ticks a relay client may fall behind

// `have` plus what `want` adds, in TickType order; empty `want`: the v2 default (bid_ask, last).
std::vector<TickType> UnionTypes(const std::vector<TickType>& have, std::vector<TickType> want) {
  if (want.empty()) want = {TickType::kBidAsk, TickType::kLast};
  std::vector<TickType> out = have;
  for (TickType t : want) {
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Result<std::unique_ptr<PassthroughService>> PassthroughService::Open(const RecorderConfig& config, FileSystem& fs,
                                                                     const Clock& clock, SseSourceOptions options) {
  const std::string& url = config.upstream_url;
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return Status::InvalidArgument("passthrough relays an ib-stream server, but the upstream URL '" + url +
                                   "' is not http:// or https:// (set IB_STREAM_UPSTREAM_URL or --upstream)");
  }
  std::unique_ptr<PassthroughService> svc(new PassthroughService(config, fs, clock, std::move(options)));
  if (fs.Exists(storage::CatalogPath(config.storage_path))) {
    auto ro = ReadOnlyService::Open(config, fs, clock);
    if (ro.ok()) svc->stored_ = std::move(ro.value());
  }
  return svc;
}

PassthroughService::~PassthroughService() { Stop("destroyed"); }

Result<std::unique_ptr<TickSource>> PassthroughService::StartRelay(std::uint32_t contract_id,
                                                                   const std::vector<TickType>& types) {
  RecorderConfig one = config_;
  TrackedContract c;
  c.contract_id = contract_id;
  c.tick_types = types;
  one.tracked = {c};
  std::unique_ptr<TickSource> source = MakeSseSource(one, clock_, options_);
  IBR_RETURN_IF_ERROR(source->Start(*this));
  return source;
}

Result<std::shared_ptr<LiveSubscription>> PassthroughService::Subscribe(std::uint32_t contract_id,
                                                                        std::vector<TickType> tick_types) {
  std::lock_guard<std::mutex> control(control_mu_);
  auto sub = std::make_shared<LiveSubscription>(contract_id, tick_types, kRelaySubscriberQueue);
  sub->set_start_seq(kRelaySeqBase);
  std::unique_ptr<TickSource> old;
  std::vector<TickType> types;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return Status::FailedPrecondition("the recorder is stopping: no live stream");
    auto it = relays_.find(contract_id);
    const std::vector<TickType> have = it == relays_.end() ? std::vector<TickType>() : it->second.types;
    types = UnionTypes(have, tick_types);
    if (it != relays_.end() && types == have) {  // the open connection already carries them
      it->second.subs.push_back(sub);
      return sub;
    }
    if (it != relays_.end()) old = std::move(it->second.source);
  }
  if (old) old->Stop();  // outside mu_: its thread may be in Submit
  auto source = StartRelay(contract_id, types);
  std::lock_guard<std::mutex> lock(mu_);
  Relay& r = relays_[contract_id];
  if (!source.ok()) {
    if (r.subs.empty()) relays_.erase(contract_id);
    return source.status().WithContext("passthrough cannot open the upstream stream of contract " +
                                       std::to_string(contract_id));
  }
  r.types = types;
  r.source = std::move(source).value();
  r.state.contract_id = contract_id;
  r.state.tick_types = types;
  r.subs.push_back(sub);
  return sub;
}

void PassthroughService::Unsubscribe(const std::shared_ptr<LiveSubscription>& sub) {
  if (!sub) return;
  std::lock_guard<std::mutex> control(control_mu_);
  std::unique_ptr<TickSource> idle;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = relays_.find(sub->contract_id());
    if (it == relays_.end()) return;
    std::erase(it->second.subs, sub);
    std::erase_if(it->second.subs, [](const auto& s) { return s->closed(); });
    if (!it->second.subs.empty()) return;
    idle = std::move(it->second.source);  // the last client left: close the upstream connection
    relays_.erase(it);
  }
  if (idle) idle->Stop();
}

void PassthroughService::Submit(ingest::DecodeResult item, std::uint64_t, std::string_view) {
  if (item.kind == ingest::DecodeResult::Kind::kReject) {
    std::lock_guard<std::mutex> lock(mu_);
    ++rejects_[std::string(ingest::RejectReasonCode(item.reason))];
    return;
  }
  if (item.kind != ingest::DecodeResult::Kind::kTick) return;  // our sessions send their own heartbeats
  Tick& t = item.tick;
  t.arrival_seq = next_seq_.fetch_add(1);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = relays_.find(t.contract_id);
  if (it == relays_.end()) return;
  ++relayed_;
  for (const auto& s : it->second.subs) {
    if (s->Wants(t)) s->Push(t);
  }
  StreamStatus& st = it->second.streams[t.tick_type];
  st.contract_id = t.contract_id;
  st.tick_type = t.tick_type;
  ++st.ticks;
  st.last_tick_time = t.timestamp_us;
  st.last_tick_wall = clock_.Now();
}

void PassthroughService::StreamConnected(std::uint32_t contract_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = relays_.find(contract_id);
  if (it == relays_.end()) return;
  ContractStatus& c = it->second.state;
  if (c.last_disconnect_at) ++c.reconnects;
  c.connected = true;
  c.reconnect_attempts = 0;
}

void PassthroughService::StreamDisconnected(std::uint32_t contract_id, const std::string& cause) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = relays_.find(contract_id);
  if (it == relays_.end()) return;
  ContractStatus& c = it->second.state;
  if (c.connected) ++c.outages;
  c.connected = false;
  c.last_disconnect = cause;
  c.last_disconnect_at = clock_.Now();
}

void PassthroughService::StreamAttemptFailed(std::uint32_t contract_id, const std::string& cause) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = relays_.find(contract_id);
  if (it == relays_.end()) return;
  ++it->second.state.reconnect_attempts;
  ++it->second.state.reconnect_attempts_total;
  it->second.state.last_disconnect = cause;
}

Result<IngestAck> PassthroughService::IngestBatch(std::string_view) {
  ++refused_;
  return Status::FailedPrecondition("this recorder runs in passthrough mode and stores nothing: send ticks to the "
                                    "recorder that owns " + config_.storage_path);
}

RecorderStatus PassthroughService::Status() const {
  RecorderStatus s;
  if (stored_) {
    s = stored_->Status();
    s.ticks_dropped = 0;
    s.dropped_by_reason.clear();
  } else {
    s = StatusFromConfig(config_);
    s.session_start = started_;
    s.now = clock_.Now();
    s.uptime_seconds = static_cast<std::uint64_t>(std::max<TimeUs>(0, s.now - started_) / kUsPerSecond);
    if (!fs_.Exists(config_.storage_path)) {
      s.last_error = "storage root " + config_.storage_path +
                     " does not exist: historical and buffer endpoints answer 503 (live streams are relayed)";
    }
    s.contracts = TrackedContractStatus(config_);
  }
  s.upstream_url = config_.upstream_url;
  if (refused_.load()) s.dropped_by_reason["passthrough"] = s.ticks_dropped = refused_.load();
  s.ticks_relayed = relayed_.load();
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [reason, n] : rejects_) {
    s.rejects_by_reason[reason] += n;
    s.rejects += n;
  }
  s.relays_open = relays_.size();
  for (const auto& [id, r] : relays_) {
    s.live_subscribers += r.subs.size();
    s.relays_connected += r.state.connected ? 1 : 0;
    auto c = std::find_if(s.contracts.begin(), s.contracts.end(),
                          [id = id](const ContractStatus& x) { return x.contract_id == id; });
    if (c == s.contracts.end()) {
      s.contracts.push_back(r.state);
    } else {
      const std::string symbol = c->symbol;
      const bool tracked = c->tracked;
      const int hours = c->buffer_hours;
      *c = r.state;
      c->symbol = symbol;
      c->tracked = tracked;
      c->buffer_hours = hours;
    }
    for (const auto& [type, st] : r.streams) {
      StreamStatus out = st;
      out.per_minute.assign(MinuteWindow::kMinutes, 0);
      auto same = std::find_if(s.streams.begin(), s.streams.end(), [&](const StreamStatus& x) {
        return x.contract_id == out.contract_id && x.tick_type == out.tick_type;
      });
      if (same == s.streams.end()) {
        s.streams.push_back(std::move(out));
      } else {
        same->ticks = out.ticks;
        same->last_tick_wall = out.last_tick_wall;
      }
    }
  }
  return s;
}

void PassthroughService::Stop(const std::string&) {
  std::lock_guard<std::mutex> control(control_mu_);
  std::vector<std::unique_ptr<TickSource>> sources;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    for (auto& [id, r] : relays_) {
      if (r.source) sources.push_back(std::move(r.source));
      for (const auto& s : r.subs) s->Close("the recorder is stopping");
    }
    relays_.clear();
  }
  for (auto& s : sources) s->Stop();
}

std::size_t PassthroughService::open_relays() const {
  std::lock_guard<std::mutex> lock(mu_);
  return relays_.size();
}

}  // namespace ibr::daemon
