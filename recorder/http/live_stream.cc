// LiveStream: request -> subscription -> SseSession (with a storage replay
// first when the client resumes with Last-Event-ID).
#include "http/live_stream.h"

#include <algorithm>
#include <charconv>
#include <memory>

#include "http/json_reply.h"
#include "http/request_params.h"
#include "http/sse_session.h"
#include "http/tick_reader.h"

namespace ibr::http {
namespace {

// Ticks stamped up to this far ahead of the clock are still accepted by
// ingest, so a resume replay reaches past "now" to include them.
constexpr TimeUs kResumeFutureSlack = 2 * kUsPerDay;

// Last-Event-ID: the arrival sequence of the last tick the client received.
Result<std::optional<std::uint64_t>> LastEventIdHeader(const httplib::Request& req) {
  if (!req.has_header("Last-Event-ID")) return std::optional<std::uint64_t>();
  const std::string v = req.get_header_value("Last-Event-ID");
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size()) {
    return Status::InvalidArgument("Last-Event-ID \"" + v.substr(0, 64) +
                                   "\" is not an event id of this recorder (a tick's arrival sequence, a decimal "
                                   "number): reconnect without it, or with the id of the last tick event received");
  }
  return std::optional<std::uint64_t>(n);
}

// The ticks stored with after < arrival_seq <= the subscription's seam, as
// live tick events: what a resuming client missed. Live ticks above the seam follow.
struct ResumeReplay {
  std::uint32_t contract_id = 0;
  std::vector<TickType> tick_types;
  std::shared_ptr<catalog::Catalog> catalog;
  query::TimeRange range;
  std::uint64_t after = 0;

  bool Run(SseSession& s, httplib::DataSink& sink) const {
    const ApiContext& ctx = s.context();
    const std::uint64_t seam = s.subscription().start_seq();
    bool client_gone = false;
    query::OutputBuffer out([&](std::string_view chunk) {
      if (chunk.empty() || sink.write(chunk.data(), chunk.size())) return Status::Ok();
      client_gone = true;
      return Status::Unavailable("the client stopped reading");
    });
    SseTickSink events(out, /*historical=*/false, ctx.stopping);
    SeqBoundSink missed(events, seam, 0, after);
    const query::TickQuery q{contract_id, tick_types, {range}, std::nullopt};
    auto run = after < seam ? RunTickQuery(ctx.fs, ctx.root(), catalog.get(), q, missed)
                            : Result<query::QueryStats>(query::QueryStats{});
    Status flushed = run.ok() ? out.Flush() : run.status();
    if (client_gone || ctx.stopping.load()) return false;
    if (!flushed.ok()) {
      return s.WriteMessage(sink, "error",
                            Json{{"code", "RESUME_ERROR"},
                                 {"message", "replaying the ticks missed since Last-Event-ID failed: " +
                                                 flushed.message() + "; reconnect to try again"},
                                 {"details", Json{{"last_event_id", after}}},
                                 {"recoverable", true}}) &&
             false;
    }
    return s.WriteMessage(sink, "info",
                          Json{{"status", "resumed"}, {"last_event_id", after}, {"replayed_ticks", events.count()}});
  }
};

}  // namespace

void HandleLiveStream(const ApiContext& ctx, bool path_tick_type, const httplib::Request& req,
                      httplib::Response& res) {
  std::vector<TickType> types;
  if (path_tick_type) {
    auto t = ParseTickTypeParam("tick type", req.matches[2].str());
    if (!t.ok()) return ReplyStatus(res, t.status());
    types = {*t};
  } else {
    auto list = TickTypesParam(req, DefaultTickTypes());
    if (!list.ok()) return ReplyStatus(res, list.status());
    types = std::move(list).value();
  }
  auto last_id = LastEventIdHeader(req);
  if (!last_id.ok()) return ReplyStatus(res, last_id.status());
  auto opened = OpenStream(ctx, req, res, types);  // subscribes before any replay is read
  if (!opened) return;
  Json hello{{"status", "subscribed"},
             {"stream_config", Json{{"contract_id", opened->contract_id},
                                    {"tick_types", TickTypesJson(opened->tick_types)},
                                    {"tracked", opened->lookup.tracked.has_value()}}}};
  std::shared_ptr<ResumeReplay> resume;
  if (*last_id) {
    resume = std::make_shared<ResumeReplay>();
    resume->contract_id = opened->contract_id;
    resume->tick_types = opened->tick_types;
    resume->catalog = opened->catalog;
    resume->after = **last_id;
    const int hours = opened->lookup.tracked ? std::max(1, opened->lookup.tracked->buffer_hours) : 1;
    const TimeUs now = ctx.clock.Now();
    resume->range = {now - hours * kUsPerHour, now + kResumeFutureSlack};
    hello["resume_after"] = **last_id;
  }
  auto session = std::make_shared<SseSession>(
      ctx, std::move(*opened->slot), opened->subscription, opened->stream_id,
      [hello, resume](SseSession& s, httplib::DataSink& sink) {
        if (!s.WriteMessage(sink, "info", hello)) return SseSession::Next::kDrop;
        if (resume && !resume->Run(s, sink)) return SseSession::Next::kDrop;
        return SseSession::Next::kContinue;
      });
  SseSession::Serve(res, std::move(session));
}

}  // namespace ibr::http
