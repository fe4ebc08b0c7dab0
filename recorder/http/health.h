// Health: GET /health — 200 {"status":"ok","checks":{...},"warnings":[...]};
// 200 {"status":"degraded","problems":[...]} when the recorder can store but
// receives nothing: an sse source with every upstream stream disconnected;
// 503 {"status":"unhealthy",...} when storage is not writable, the catalog
// fails or the disk is full. Warnings name tracked contract x tick type
// streams with no tick for stale_after and each disconnected upstream stream.
// Open without an API key. Pure over the status snapshot; any worker thread.
#pragma once

#include <string>
#include <vector>

#include <httplib.h>

#include "daemon/recorder_config.h"
#include "daemon/recorder_status.h"
#include "http/api_context.h"
#include "http/json_reply.h"

namespace ibr::http {

struct HealthReport {
  int http_status = 200;
  std::string status;  // ok | degraded | unhealthy
  Json body;
};

// `now` judges staleness (wall clock of the recorder).
HealthReport BuildHealth(const daemon::RecorderStatus& status, const daemon::RecorderConfig& config, TimeUs now);
// Tracked streams with no stored tick for config.stale_after, as sentences.
std::vector<std::string> StaleStreamWarnings(const daemon::RecorderStatus& status,
                                             const daemon::RecorderConfig& config, TimeUs now);
// sse source: one sentence per tracked contract whose upstream stream is down
// (since when, why, how many reconnect attempts failed since).
std::vector<std::string> UpstreamDownWarnings(const daemon::RecorderStatus& status, TimeUs now);
// True for an sse source (not read-only) with tracked contracts and none of their upstream streams up.
bool AllUpstreamsDown(const daemon::RecorderStatus& status);

void HandleHealth(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res);

}  // namespace ibr::http
