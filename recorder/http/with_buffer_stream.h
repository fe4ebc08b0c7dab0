// WithBufferStream: GET /v2/stream/{id}/with-buffer — SSE: info buffer_start,
// the stored ticks of [now - buffer_duration, ...) with arrival_seq <= the
// subscription's start_seq (subscribed first; metadata {"historical": true}),
// info buffer_complete, info live_start, then live ticks above start_seq:
// nothing lost or repeated at the seam. Worker threads; one stream slot each.
#pragma once

#include <httplib.h>

#include "http/api_context.h"

namespace ibr::http {

// req.matches[1] is the contract id.
void HandleWithBufferStream(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res);

}  // namespace ibr::http
