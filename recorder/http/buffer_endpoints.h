// BufferEndpoints: GET /v2/buffer/{id}/info, /stats and /range — the shapes
// of the ib-stream server (UPSTREAM.md), answered from the files: what the
// recent buffer of a contract holds, counted or listed. Worker threads; each
// request opens its own read-only catalog.
#pragma once

#include <httplib.h>

#include "http/api_context.h"

namespace ibr::http {

// req.matches[1] is the contract id in all three.
void HandleBufferInfo(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res);
void HandleBufferStats(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res);
void HandleBufferRange(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res);

// Python's str(timedelta) without the fraction: "2:15:30", "1 day, 0:00:05".
std::string TimedeltaText(TimeUs d);

}  // namespace ibr::http
