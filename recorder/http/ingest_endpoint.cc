// IngestEndpoint: body -> IngestBatch -> acknowledgement.
#include "http/ingest_endpoint.h"

#include <string>

namespace ibr::http {
namespace {

void Unavailable(httplib::Response& res, const std::string& reason, const std::string& message) {
  ReplyJson(res, 503, Json{{"error", message}, {"reason", reason}});
}

}  // namespace

Json IngestAckJson(const daemon::IngestAck& ack) {
  Json j{{"accepted", ack.accepted},
         {"rejected", ack.rejected},
         {"reasons", ack.reasons},
         {"lifecycle", ack.lifecycle},
         {"files", ack.files}};
  if (ack.dropped > 0) j["dropped"] = ack.dropped;
  return j;
}

void HandleIngest(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (ctx.config().read_only) {
    return Unavailable(res, "read_only",
                       "this recorder serves its storage read-only (--read-only): send ingest to the writer instance");
  }
  auto ack = ctx.service.IngestBatch(req.body);
  if (!ack.ok()) {
    const Status& s = ack.status();
    switch (s.code()) {
      case StatusCode::kDiskFull: return Unavailable(res, "disk_full", s.message());
      case StatusCode::kFailedPrecondition: return Unavailable(res, "read_only", s.message());
      case StatusCode::kBusy:
      case StatusCode::kUnavailable: return Unavailable(res, "queue_full", s.message());
      default: return ReplyStatus(res, s);
    }
  }
  if (ack->dropped > 0) {
    Json body = IngestAckJson(*ack);
    body["error"] = std::to_string(ack->dropped) +
                    " valid ticks were not stored (disk full below IB_STREAM_MIN_FREE_MB); send them again later";
    body["reason"] = "disk_full";
    return ReplyJson(res, 503, body);
  }
  ReplyJson(res, 200, IngestAckJson(*ack));
}

}  // namespace ibr::http
