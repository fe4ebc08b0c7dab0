// IngestEndpoint: body -> IngestBatch -> acknowledgement.
#include "http/ingest_endpoint.h"

#include <optional>
#include <string>

#include "http/connection_gate.h"

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
  if (ack.rejects_not_kept > 0) j["rejects_not_kept"] = ack.rejects_not_kept;  // counted in "reasons", not quarantined
  return j;
}

// An answer given without reading the body: the connection cannot carry another request.
void Refuse(httplib::Response& res) {
  ConnectionGate::CloseAfterAnswer();
  res.set_header("Connection", "close");
}

void HandleIngest(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                  const httplib::ContentReader& reader) {
  if (ctx.config().read_only) {
    Refuse(res);
    return Unavailable(res, "read_only",
                       "this recorder serves its storage read-only (--read-only): send ingest to the writer instance");
  }
  if (req.is_multipart_form_data()) {
    Refuse(res);
    return ReplyJson(res, 415,
                     Json{{"error", "POST /v2/ingest takes NDJSON lines as the request body (Content-Type: "
                                    "application/x-ndjson), not a multipart form: send the file with curl "
                                    "--data-binary @file"},
                          {"reason", "unsupported_media_type"}});
  }
  // Bodies are held whole (the batch is acknowledged as one): at most max_ingest_in_progress at once.
  std::optional<QueryGate::Slot> place;
  if (ctx.ingests != nullptr) {
    place = ctx.ingests->Acquire();
    if (!place) {
      Refuse(res);
      res.set_header("Retry-After", "1");
      return Unavailable(res, "queue_full",
                         std::to_string(ctx.ingests->max()) + " ingest batches are already in progress: nothing was "
                         "stored; send the batch again shortly");
    }
  }
  // Any Content-Type: the body is taken as NDJSON (the library's form parsing is never applied).
  std::string body;
  bool too_large = false;
  const bool read = reader([&](const char* data, std::size_t n) {
    if (body.size() + n > ctx.options.max_ingest_bytes) {
      too_large = true;
      return false;
    }
    body.append(data, n);
    return true;
  });
  if (too_large) {
    Refuse(res);
    return ReplyError(res, 413, "request body larger than " + std::to_string(ctx.options.max_ingest_bytes) +
                                    " bytes (the ingest limit): split it into smaller batches");
  }
  if (!read) {
    Refuse(res);
    if (res.status == 413) {
      return ReplyError(res, 413, "request body larger than " + std::to_string(ctx.options.max_ingest_bytes) +
                                      " bytes (the ingest limit): split it into smaller batches");
    }
    return ReplyError(res, 400, "the request body did not arrive completely (the client stopped sending, or sent "
                                "it too slowly): nothing was stored; send the batch again");
  }
  auto ack = ctx.service.IngestBatch(body);
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
