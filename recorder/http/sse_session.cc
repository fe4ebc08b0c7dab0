// SseSession: the live loop and the shared request preamble.
#include "http/sse_session.h"

#include <atomic>

#include "common/time_text.h"
#include "http/request_params.h"
#include "http/tick_reader.h"

namespace ibr::http {
namespace {

constexpr std::size_t kMaxBatchBytes = 256 * 1024;  // ticks drained into one write

std::string NewStreamId(std::uint32_t contract_id, const std::vector<TickType>& types, TimeUs now) {
  static std::atomic<std::uint64_t> counter{0};
  std::string id = std::to_string(contract_id) + "_";
  for (std::size_t i = 0; i < types.size(); ++i) id += (i == 0 ? "" : "+") + std::string(TickTypeName(types[i]));
  return id + "_" + std::to_string(now / 1000) + "_rec" + std::to_string(counter.fetch_add(1) + 1);
}

}  // namespace

SseSession::SseSession(const ApiContext& ctx, StreamLimiter::Slot slot, std::shared_ptr<daemon::LiveSubscription> sub,
                       std::string stream_id, Prologue prologue)
    : ctx_(ctx),
      slot_(std::move(slot)),
      sub_(std::move(sub)),
      stream_id_(std::move(stream_id)),
      prologue_(std::move(prologue)),
      last_heartbeat_(ctx.clock.MonotonicUs()) {}

SseSession::~SseSession() {
  { StreamLimiter::Slot released = std::move(slot_); }  // free the place first: a waiting client may take it
  ctx_.service.Unsubscribe(sub_);
}

void SseSession::Serve(httplib::Response& res, std::shared_ptr<SseSession> session) {
  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-IB-Stream-Version", "2.0.0");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream", [session](std::size_t, httplib::DataSink& sink) { return session->Step(sink); });
}

bool SseSession::WriteMessage(httplib::DataSink& sink, std::string_view type, const Json& data) {
  std::string event;
  AppendSseEvent(event, type, EnvelopeJson(type, stream_id_, ctx_.clock.Now(), data));
  return sink.write(event.data(), event.size());
}

bool SseSession::Step(httplib::DataSink& sink) {
  if (!started_) {
    started_ = true;
    const Next next = prologue_ ? prologue_(*this, sink) : Next::kContinue;
    prologue_ = nullptr;  // frees what the prologue held (its catalog) before the live phase
    if (next == Next::kDrop) return false;
    if (next == Next::kEnd) {
      sink.done();
      return true;
    }
  }
  if (ctx_.stopping.load()) {
    WriteMessage(sink, "complete", Json{{"reason", "server_shutdown"}, {"total_ticks", live_ticks_}});
    sink.done();
    return true;
  }
  buf_.clear();
  const std::uint64_t seam = sub_->start_seq();
  std::optional<Tick> tick = sub_->Pop(ctx_.options.poll_ms);
  while (tick) {
    if (tick->arrival_seq > seam) {  // at or below the seam it was in the files (history)
      ticks_.Append(buf_, *tick);
      ++live_ticks_;
    }
    if (buf_.size() >= kMaxBatchBytes) break;
    tick = sub_->Pop(0);
  }
  if (!tick && buf_.empty() && sub_->closed()) {
    const std::string reason = sub_->reason();
    WriteMessage(sink, "error",
                 Json{{"code", "STREAM_ERROR"},
                      {"message", "live stream closed by the recorder: " + reason},
                      {"details", Json{{"reason", reason}, {"ticks_sent", live_ticks_}}},
                      {"recoverable", true}});
    sink.done();
    return true;
  }
  const std::int64_t mono = ctx_.clock.MonotonicUs();
  if (mono - last_heartbeat_ >= ctx_.options.heartbeat_interval) {
    last_heartbeat_ = mono;
    AppendSseEvent(buf_, "heartbeat", EnvelopeJson("heartbeat", stream_id_, ctx_.clock.Now(), Json::object()));
  }
  // Nothing to send: still notice a client that has gone (its socket hung up),
  // so its slot is free within poll_ms rather than at the next heartbeat.
  if (buf_.empty()) return sink.is_writable();
  return sink.write(buf_.data(), buf_.size());
}

std::optional<OpenedStream> OpenStream(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                                       std::vector<TickType> tick_types) {
  OpenedStream s;
  auto cid = ParseContractId(req.matches[1].str());
  if (!cid.ok()) {
    ReplyStatus(res, cid.status());
    return std::nullopt;
  }
  s.contract_id = *cid;
  s.tick_types = std::move(tick_types);
  auto cat = OpenReadCatalog(ctx.root(), ctx.clock);
  if (!cat.ok()) {
    ReplyStatus(res, cat.status());
    return std::nullopt;
  }
  s.catalog = std::move(cat).value();
  auto lookup = LookupContract(ctx.config(), s.catalog.get(), s.contract_id);
  if (!lookup.ok() && lookup.status().code() == StatusCode::kNotFound &&
      ctx.config().mode == daemon::RecorderMode::kPassthrough) {
    lookup = ContractLookup{s.contract_id, std::nullopt, false};  // the upstream decides what it knows
  }
  if (!lookup.ok()) {
    ReplyStatus(res, lookup.status());
    return std::nullopt;
  }
  s.lookup = std::move(lookup).value();
  s.slot = ctx.streams.TryAcquire();
  if (!s.slot) {
    ReplyJson(res, 503,
              Json{{"error", "too many live streams: " + std::to_string(ctx.streams.max()) +
                                 " are open, the most this recorder serves at once; try again later"},
                   {"reason", "stream_limit"}});
    return std::nullopt;
  }
  auto sub = ctx.service.Subscribe(s.contract_id, s.tick_types);
  if (!sub.ok()) {
    ReplyJson(res, 503, Json{{"error", "cannot subscribe: " + sub.status().message()}, {"reason", "subscribe_failed"}});
    return std::nullopt;
  }
  s.subscription = std::move(sub).value();
  s.stream_id = NewStreamId(s.contract_id, s.tick_types, ctx.clock.Now());
  return s;
}

}  // namespace ibr::http
