// Metrics: GET /metrics — the recorder's counters and gauges in the
// Prometheus text exposition format (names ib_recorder_*, and ib_sync_* from
// sync-state.json when the sync agent runs), each with # HELP and # TYPE.
// Pure over its inputs; any worker thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <httplib.h>

#include "daemon/recorder_status.h"
#include "http/api_context.h"
#include "http/connection_gate.h"
#include "http/sync_lag.h"

namespace ibr::http {

// `open_streams`: live SSE streams this HTTP server holds open.
std::string RenderMetrics(const daemon::RecorderStatus& status, const std::optional<SyncLag>& sync,
                          std::size_t open_streams, TimeUs now);

// The HTTP server's connection gate: waiting connections, requests in progress, early refusals.
std::string RenderConnectionMetrics(const ConnectionGate::Counters& counters);

void HandleMetrics(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res);

}  // namespace ibr::http
