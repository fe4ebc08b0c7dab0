// Routes: the table.
#include "http/routes.h"

#include <exception>
#include <functional>
#include <string>

#include "http/auth.h"
#include "http/background_status.h"
#include "http/buffer_endpoints.h"
#include "http/health.h"
#include "http/historical_endpoints.h"
#include "http/ingest_endpoint.h"
#include "http/json_reply.h"
#include "http/live_stream.h"
#include "http/metrics.h"
#include "http/status_page.h"
#include "http/storage_required.h"
#include "http/storage_status.h"
#include "http/with_buffer_stream.h"

namespace ibr::http {
namespace {

using httplib::Request;
using httplib::Response;
using HandlerResponse = httplib::Server::HandlerResponse;

// A segment captured by the patterns: the handlers validate it (400 quoting it), not the router.
constexpr const char* kId = "([^/]+)";

std::string P(const std::string& before, const std::string& after = "") { return before + kId + after; }

// The library answers some requests itself (unknown path, body too large,
// bad request line) with an empty body: give those a JSON reason.
HandlerResponse LibraryError(const ApiContext& ctx, const Request& req, Response& res) {
  if (!res.body.empty() || res.is_chunked_content_provider_ || res.content_length_ > 0) return HandlerResponse::Unhandled;
  switch (res.status) {
    case 404: ReplyError(res, 404, "no such endpoint: " + req.method + " " + req.path); break;
    case 413:
      ReplyError(res, 413, "request body larger than " + std::to_string(ctx.options.max_ingest_bytes) +
                               " bytes (the ingest limit): split it into smaller batches");
      break;
    default: ReplyError(res, res.status, "request failed with HTTP " + std::to_string(res.status)); break;
  }
  return HandlerResponse::Handled;
}

}  // namespace

void RegisterRoutes(httplib::Server& s, const ApiContext& ctx) {
  s.set_pre_routing_handler([&ctx](const Request& req, Response& res) {
    return Authorize(ctx.config().api_key, req, res) ? HandlerResponse::Unhandled : HandlerResponse::Handled;
  });
  s.set_error_handler(httplib::Server::HandlerWithResponse(
      [&ctx](const Request& req, Response& res) { return LibraryError(ctx, req, res); }));
  s.set_exception_handler([](const Request&, Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    ReplyError(res, 500, "internal error: " + what);
  });

  // People and monitoring.
  s.Get("/", [&ctx](const Request& q, Response& r) { HandleStatusPage(ctx, q, r); });
  s.Get("/health", [&ctx](const Request& q, Response& r) { HandleHealth(ctx, q, r); });
  s.Get("/metrics", [&ctx](const Request& q, Response& r) { HandleMetrics(ctx, q, r); });
  s.Get("/background/status", [&ctx](const Request& q, Response& r) { HandleBackgroundStatus(ctx, q, r); });
  s.Get("/storage/status", [&ctx](const Request& q, Response& r) { HandleStorageStatus(ctx, q, r); });

  // What reads the storage root: in passthrough without one, 503 naming it (StorageMissing).
  auto stored = [&ctx](std::function<void(const Request&, Response&)> handler) {
    return [&ctx, handler = std::move(handler)](const Request& q, Response& r) {
      if (!StorageMissing(ctx, r)) handler(q, r);
    };
  };

  // The recent buffer (UPSTREAM.md shapes).
  s.Get(P("/v2/buffer/", "/info"), stored([&ctx](const Request& q, Response& r) { HandleBufferInfo(ctx, q, r); }));
  s.Get(P("/v2/buffer/", "/stats"), stored([&ctx](const Request& q, Response& r) { HandleBufferStats(ctx, q, r); }));
  s.Get(P("/v2/buffer/", "/range"), stored([&ctx](const Request& q, Response& r) { HandleBufferRange(ctx, q, r); }));

  // Historical queries (seed 002), streamed.
  s.Get(P("/v2/historical/", "/range"),
        stored([&ctx](const Request& q, Response& r) { HandleHistorical(ctx, HistoricalKind::kRange, q, r); }));
  s.Get(P("/v2/historical/", "/to-present"),
        stored([&ctx](const Request& q, Response& r) { HandleHistorical(ctx, HistoricalKind::kToPresent, q, r); }));
  s.Get(P("/v2/historical/", "/session"),
        stored([&ctx](const Request& q, Response& r) { HandleHistorical(ctx, HistoricalKind::kSession, q, r); }));
  s.Get(P("/v2/historical/", "/relative"),
        stored([&ctx](const Request& q, Response& r) { HandleHistorical(ctx, HistoricalKind::kRelative, q, r); }));

  // Ingest.
  // With a content reader: the body is read by the handler, never parsed as a form by the library.
  s.Post("/v2/ingest", [&ctx](const Request& q, Response& r, const httplib::ContentReader& reader) {
    HandleIngest(ctx, q, r, reader);
  });

  // Live SSE (with-buffer first: the tick-type pattern would match it too).
  s.Get(P("/v2/stream/", "/with-buffer"),
        stored([&ctx](const Request& q, Response& r) { HandleWithBufferStream(ctx, q, r); }));
  s.Get(P("/v2/stream/", "/([^/]+)"), [&ctx](const Request& q, Response& r) { HandleLiveStream(ctx, true, q, r); });
  s.Get(P("/v2/stream/"), [&ctx](const Request& q, Response& r) { HandleLiveStream(ctx, false, q, r); });
}

}  // namespace ibr::http
