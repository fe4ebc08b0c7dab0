// IngestEndpoint: POST /v2/ingest — an NDJSON body handed to
// RecorderService::IngestBatch, answered once durable with {"accepted",
// "rejected","reasons","lifecycle","files"}; 503 with "reason" read_only |
// disk_full | queue_full; 413 past max_ingest_bytes (before this runs).
// Worker threads; blocks its thread until the batch is durable.
#pragma once

#include <httplib.h>

#include "daemon/recorder_service.h"
#include "http/api_context.h"
#include "http/json_reply.h"

namespace ibr::http {

Json IngestAckJson(const daemon::IngestAck& ack);

void HandleIngest(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res);

}  // namespace ibr::http
