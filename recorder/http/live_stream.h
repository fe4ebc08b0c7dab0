// LiveStream: GET /v2/stream/{id}?tick_types=... and /v2/stream/{id}/{tick_type}
// — SSE of the ticks this recorder stores from now on: an `info` event
// (status "subscribed"), then `tick` events, `heartbeat` every
// heartbeat_interval, `error` + end when the recorder drops a slow client.
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
