// `ib-recorder run`: resolves the configuration, opens the writer (or read-only) service,
// starts the HTTP server and the tick source, runs until SIGTERM/SIGINT, then stops source,
// HTTP (open streams end with `complete`) and service (session `completed`). One log line
// per state change on stderr. Main thread only. Exit: 0 stopped by a signal; 1 could not
// start (root locked by another writer, catalog, source); 2 bad configuration, or the HTTP
// address cannot be bound (the session, if one was opened, is closed `failed`).
#pragma once

#include "common/clock.h"
#include "daemon/recorder_config.h"

namespace ibr::cli {

// `resolver` resolves the bind address (tests inject a stub).
int RunRecorder(const daemon::RecorderFlags& flags, const Clock& clock,
                const config::HostResolver& resolver = config::SystemHostResolver());

}  // namespace ibr::cli
