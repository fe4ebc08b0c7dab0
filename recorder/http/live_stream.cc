// LiveStream: request -> subscription -> SseSession.
#include "http/live_stream.h"

#include <memory>

#include "http/json_reply.h"
#include "http/request_params.h"
#include "http/sse_session.h"

namespace ibr::http {

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
  auto opened = OpenStream(ctx, req, res, types);
  if (!opened) return;
  Json hello{{"status", "subscribed"},
             {"stream_config", Json{{"contract_id", opened->contract_id},
                                    {"tick_types", TickTypesJson(opened->tick_types)},
                                    {"tracked", opened->lookup.tracked.has_value()}}}};
  auto session = std::make_shared<SseSession>(
      ctx, std::move(*opened->slot), opened->subscription, opened->stream_id,
      [hello](SseSession& s, httplib::DataSink& sink) {
        return s.WriteMessage(sink, "info", hello) ? SseSession::Next::kContinue : SseSession::Next::kDrop;
      });
  SseSession::Serve(res, std::move(session));
}

}  // namespace ibr::http
