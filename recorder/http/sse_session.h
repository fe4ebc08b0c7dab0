// SseSession: one open live SSE stream — its slot under max_live_streams, its
// LiveSubscription (unsubscribed at the end), heartbeats on the Clock, an
// optional prologue (with-buffer's replay), then live ticks until the client
// goes (noticed within poll_ms: the socket hung up, or a write failed), the
// subscription is dropped (an `error` event) or the server stops.
// Driven by cpp-httplib's chunked content provider on the request's worker.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>

#include "daemon/live_subscription.h"
#include "http/api_context.h"
#include "http/contract_lookup.h"
#include "http/json_reply.h"
#include "http/sse_events.h"
#include "http/stream_limiter.h"

namespace ibr::http {

class SseSession {
 public:
  enum class Next { kContinue, kEnd, kDrop };  // go on to live ticks | finish the response | cut the connection
  // Runs once before live ticks; writes what precedes them.
  using Prologue = std::function<Next(SseSession& session, httplib::DataSink& sink)>;

  SseSession(const ApiContext& ctx, StreamLimiter::Slot slot, std::shared_ptr<daemon::LiveSubscription> sub,
             std::string stream_id, Prologue prologue);
  ~SseSession();
  SseSession(const SseSession&) = delete;
  SseSession& operator=(const SseSession&) = delete;

  // Sets the SSE headers and the chunked provider that drives `session`.
  static void Serve(httplib::Response& res, std::shared_ptr<SseSession> session);

  // One provider call: the prologue the first time, then the ticks that
  // arrive within poll_ms, a heartbeat when due. False cuts the connection.
  bool Step(httplib::DataSink& sink);

  // For prologues: writes one event of the server's own (v2 envelope); false when the client is gone.
  bool WriteMessage(httplib::DataSink& sink, std::string_view type, const Json& data);
  daemon::LiveSubscription& subscription() { return *sub_; }
  const ApiContext& context() const { return ctx_; }

 private:
  const ApiContext& ctx_;
  StreamLimiter::Slot slot_;
  std::shared_ptr<daemon::LiveSubscription> sub_;
  const std::string stream_id_;
  Prologue prologue_;
  bool started_ = false;
  std::int64_t last_heartbeat_;
  std::uint64_t live_ticks_ = 0;
  SseTickText ticks_{false};
  std::string buf_;
};

// What a stream handler has once the request is accepted.
struct OpenedStream {
  std::uint32_t contract_id = 0;
  std::vector<TickType> tick_types;
  ContractLookup lookup;
  std::shared_ptr<catalog::Catalog> catalog;  // read-only, this thread's
  std::optional<StreamLimiter::Slot> slot;
  std::shared_ptr<daemon::LiveSubscription> subscription;
  std::string stream_id;
};

// Parses the contract (req.matches[1]), checks it is known (404), takes a
// stream slot (503 past max_live_streams) and subscribes (503 when refused).
// On failure `res` holds the error answer and nullopt is returned.
std::optional<OpenedStream> OpenStream(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                                       std::vector<TickType> tick_types);

}  // namespace ibr::http
