// IngestEndpoint: POST /v2/ingest — an NDJSON body (whatever its
// Content-Type, multipart forms excepted: 415) handed to
// RecorderService::IngestBatch, answered once durable with {"accepted",
// "rejected","reasons","lifecycle","files"}; 503 with "reason" read_only |
// disk_full | queue_full; 413 past max_ingest_bytes. At most
// max_ingest_in_progress bodies are held at once. Worker threads; blocks its
// thread until the batch is durable.
#pragma once

#include <httplib.h>

#include "daemon/recorder_service.h"
#include "http/api_context.h"
#include "http/json_reply.h"

namespace ibr::http {

Json IngestAckJson(const daemon::IngestAck& ack);

void HandleIngest(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                  const httplib::ContentReader& reader);

}  // namespace ibr::http
