// WithBufferStream: GET /v2/stream/{id}/with-buffer?tick_types=...&buffer_duration=1h
// — SSE that replays the recent buffer from the files, then goes live with
// nothing lost or repeated at the seam: subscribe first; replay the stored
// ticks of [now - buffer_duration, ...) with arrival_seq <= the
// subscription's start_seq (metadata {"historical": true}); then live ticks
// above it. Events: info buffer_start, ticks, info buffer_complete, info
// live_start, ticks. Worker threads; one stream slot each.
#pragma once

#include <httplib.h>

#include "http/api_context.h"

namespace ibr::http {

// req.matches[1] is the contract id.
void HandleWithBufferStream(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res);

}  // namespace ibr::http
