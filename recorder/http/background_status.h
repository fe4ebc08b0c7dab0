// BackgroundStatus: GET /background/status — the ib-stream server's shape
// (UPSTREAM.md: enabled, timestamp, status{running, tws_connected, ...,
// contracts{cid: {...}}}, config{...}) filled from the recorder's tracked
// contracts and their upstream state. No secrets in `config`. Any worker thread.
#pragma once

#include <httplib.h>

#include "daemon/recorder_config.h"
#include "daemon/recorder_status.h"
#include "http/api_context.h"
#include "http/json_reply.h"

namespace ibr::http {

Json BuildBackgroundStatus(const daemon::RecorderStatus& status, const daemon::RecorderConfig& config, TimeUs now);

void HandleBackgroundStatus(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res);

}  // namespace ibr::http
