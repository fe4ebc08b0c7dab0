// StatusPage: GET / — one self-refreshing HTML page for a person watching
// the recorder: instance and session, per contract x tick type rates with
// inline SVG sparklines, storage, rejects, drops, outages, sync lag. No
// external assets; every value HTML-escaped; never shows the API key.
// Pure over its inputs; any worker thread.
#pragma once

#include <optional>
#include <string>

#include <httplib.h>

#include "daemon/recorder_config.h"
#include "daemon/recorder_status.h"
#include "http/api_context.h"
#include "http/sync_lag.h"

namespace ibr::http {

std::string RenderStatusPage(const daemon::RecorderStatus& status, const daemon::RecorderConfig& config,
                             const std::optional<SyncLag>& sync, TimeUs now);

void HandleStatusPage(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res);

}  // namespace ibr::http
