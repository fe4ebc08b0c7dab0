// LiveStream: GET /v2/stream/{id}?tick_types=... and /v2/stream/{id}/{tick_type}
// — SSE of the ticks this recorder stores from now on: an `info` event
// (status "subscribed"), then `tick` events, `heartbeat` every
// heartbeat_interval, `error` + end when the recorder drops a slow client.
// Each tick event carries `id: <arrival_seq>`; a client reconnecting with
// `Last-Event-ID: N` first gets the stored ticks with N < arrival_seq <= the
// new subscription's seam (within the contract's buffer hours, default 1 h),
// an `info` "resumed", then live ticks above the seam: nothing lost or repeated.
// Worker threads; each stream holds its thread and one stream slot.
#pragma once

#include <optional>

#include <httplib.h>

#include "http/api_context.h"

namespace ibr::http {

// req.matches[1] is the contract id; with `path_tick_type`, req.matches[2] is a tick type.
void HandleLiveStream(const ApiContext& ctx, bool path_tick_type, const httplib::Request& req,
                      httplib::Response& res);

}  // namespace ibr::http
