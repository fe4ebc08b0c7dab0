// `ib-recorder run`: the recorder daemon — resolves the configuration (flags >
// process environment > env file > defaults), opens the writer (or the
// read-only service), starts the HTTP server and the tick source, and runs
// until SIGTERM/SIGINT; then stops the source, closes the session
// `completed`, stops the HTTP server and exits 0. One log line per state
// change on stderr (journald). Main thread only.
// Exit codes: 0 stopped by a signal; 1 could not start (storage root locked by
// another writer, catalog, port in use, source); 2 bad configuration.
#pragma once

#include "common/clock.h"
#include "daemon/recorder_config.h"

namespace ibr::cli {

int RunRecorder(const daemon::RecorderFlags& flags, const Clock& clock);

}  // namespace ibr::cli
