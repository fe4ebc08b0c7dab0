// StorageStatus: GET /storage/status — the ib-stream server's shape
// (UPSTREAM.md: enabled, timestamp, info, metrics{timestamp, uptime_seconds,
// overall, backends, recent_errors, health}, config) filled with what this
// root really holds (catalog totals per contract x tick type) and what the
// writer does. Any worker thread; opens its own read-only catalog.
#pragma once

#include <httplib.h>

#include "catalog/catalog.h"
#include "daemon/recorder_config.h"
#include "daemon/recorder_status.h"
#include "http/api_context.h"
#include "http/json_reply.h"

namespace ibr::http {

// `cat` may be null (no catalog yet); its failures are reported in recent_errors.
Json BuildStorageStatus(const daemon::RecorderStatus& status, const daemon::RecorderConfig& config,
                        catalog::Catalog* cat, TimeUs now);

void HandleStorageStatus(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res);

}  // namespace ibr::http
