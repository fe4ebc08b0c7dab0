// IngestEndpoint: POST /v2/ingest — an NDJSON body of v2 messages handed to
// RecorderService::IngestBatch; answered only once its ticks are durable with
// {"accepted","rejected","reasons","lifecycle","files"}. 503 (with "reason":
// read_only | disk_full | queue_full) when the recorder cannot take it now;
// bodies over HttpServerOptions::max_ingest_bytes get 413 before this runs.
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
