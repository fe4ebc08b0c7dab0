// Health: GET /health — 200 {"status":"ok","checks":{...},"warnings":[...]}
// or 503 {"status":"unhealthy",...} when storage is not writable, the catalog
// fails or the disk is full; warnings name tracked contract x tick type
// streams with no tick for stale_after. Open without an API key. Pure over
// the status snapshot; any worker thread.
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
  Json body;
};

// `now` judges staleness (wall clock of the recorder).
HealthReport BuildHealth(const daemon::RecorderStatus& status, const daemon::RecorderConfig& config, TimeUs now);
// Tracked streams with no stored tick for config.stale_after, as sentences.
std::vector<std::string> StaleStreamWarnings(const daemon::RecorderStatus& status,
                                             const daemon::RecorderConfig& config, TimeUs now);

void HandleHealth(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res);

}  // namespace ibr::http
