// HistoricalEndpoints: GET /v2/historical/{id}/range|to-present|session|relative
// — the seed's historical queries answered from the files, as json (the
// seed's {"messages": [...], "count": N, ...}), ndjson, csv or protobuf
// frames, streamed with chunked transfer. Worker threads; each request opens
// its own read-only catalog.
#pragma once

#include <httplib.h>

#include "http/api_context.h"

namespace ibr::http {

enum class HistoricalKind { kRange, kToPresent, kSession, kRelative };

// req.matches[1] is the contract id.
void HandleHistorical(const ApiContext& ctx, HistoricalKind kind, const httplib::Request& req,
                      httplib::Response& res);

}  // namespace ibr::http
