// WithBufferStream: the history prologue of an SseSession.
#include "http/with_buffer_stream.h"

#include <algorithm>
#include <memory>

#include "common/time_text.h"
#include "http/json_reply.h"
#include "http/request_params.h"
#include "http/sse_session.h"
#include "http/tick_reader.h"

namespace ibr::http {
namespace {

// Ticks stamped up to this far ahead of the clock are still accepted by
// ingest (a day), so history reaches past "now" to include them.
constexpr TimeUs kFutureSlack = 2 * kUsPerDay;

struct Replay {
  std::uint32_t contract_id = 0;
  std::vector<TickType> tick_types;
  std::shared_ptr<catalog::Catalog> catalog;
  query::TimeRange range;
  std::string duration_text;
  std::optional<std::uint64_t> limit;  // the newest N buffered ticks

  SseSession::Next Run(SseSession& s, httplib::DataSink& sink) const {
    using Next = SseSession::Next;
    const ApiContext& ctx = s.context();
    const std::uint64_t seam = s.subscription().start_seq();
    const query::TickQuery q{contract_id, tick_types, {range}, std::nullopt};
    auto fail = [&](const Status& st) {
      s.WriteMessage(sink, "error",
                     Json{{"code", "BUFFER_ERROR"}, {"message", "buffer replay failed: " + st.message()},
                          {"details", Json::object()}, {"recoverable", true}});
      return Next::kEnd;
    };

    TickStatsSink counted;
    SeqBoundSink below_seam(counted, seam);
    auto count = RunTickQuery(ctx.fs, ctx.root(), catalog.get(), q, below_seam);
    if (!count.ok()) return fail(count.status());
    const std::uint64_t skip = limit && counted.count > *limit ? counted.count - *limit : 0;
    Json start{{"status", "buffer_start"},
               {"contract_id", contract_id},
               {"tick_types", TickTypesJson(tick_types)},
               {"buffer_duration", duration_text},
               {"start_time", FormatIsoTimestamp(range.start)},
               {"buffer_message_count", counted.count - skip}};
    if (!s.WriteMessage(sink, "info", start)) return Next::kDrop;

    bool client_gone = false;
    query::OutputBuffer out([&](std::string_view chunk) {
      if (chunk.empty() || sink.write(chunk.data(), chunk.size())) return Status::Ok();
      client_gone = true;
      return Status::Unavailable("the client stopped reading");
    });
    SseTickSink events(out, /*historical=*/true, ctx.stopping);
    SeqBoundSink replay(events, seam, skip);
    auto run = RunTickQuery(ctx.fs, ctx.root(), catalog.get(), q, replay);
    Status flushed = run.ok() ? out.Flush() : run.status();
    if (client_gone || ctx.stopping.load()) return Next::kDrop;
    if (!flushed.ok()) return fail(flushed);

    if (!s.WriteMessage(sink, "info", Json{{"status", "buffer_complete"}, {"buffer_message_count", events.count()}}) ||
        !s.WriteMessage(sink, "info", Json{{"status", "live_start"}})) {
      return Next::kDrop;
    }
    return Next::kContinue;
  }
};

}  // namespace

void HandleWithBufferStream(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto types = TickTypesParam(req, DefaultTickTypes());
  if (!types.ok()) return ReplyStatus(res, types.status());
  auto duration = DurationParam(req, "buffer_duration");
  if (!duration.ok()) return ReplyStatus(res, duration.status());
  auto limit = LimitParam(req);
  if (!limit.ok()) return ReplyStatus(res, limit.status());
  auto opened = OpenStream(ctx, req, res, *types);  // subscribes before any history is read
  if (!opened) return;

  auto replay = std::make_shared<Replay>();
  replay->contract_id = opened->contract_id;
  replay->tick_types = opened->tick_types;
  replay->catalog = opened->catalog;
  replay->limit = *limit;
  const int hours = opened->lookup.tracked ? std::max(1, opened->lookup.tracked->buffer_hours) : 1;
  const TimeUs d = duration->value_or(hours * kUsPerHour);
  replay->duration_text = req.has_param("buffer_duration") ? req.get_param_value("buffer_duration")
                                                           : std::to_string(hours) + "h";
  const TimeUs now = ctx.clock.Now();
  replay->range = {now - d, now + kFutureSlack};

  auto session = std::make_shared<SseSession>(
      ctx, std::move(*opened->slot), opened->subscription, opened->stream_id,
      [replay](SseSession& s, httplib::DataSink& sink) { return replay->Run(s, sink); });
  SseSession::Serve(res, std::move(session));
}

}  // namespace ibr::http
