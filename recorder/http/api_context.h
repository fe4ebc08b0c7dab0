// ApiContext: what every HTTP handler needs — the recorder service, the
// clock, the file system for reading tick files, the server's options, the
// live-stream limiter, the read-query and ingest gates and the "server is stopping" flag. Owned by HttpServer,
// shared read-only by all worker threads (the members are thread-safe).
#pragma once

#include <atomic>

#include "common/clock.h"
#include "common/file_system.h"
#include "daemon/recorder_service.h"
#include "http/http_options.h"
#include "http/query_gate.h"
#include "http/stream_limiter.h"

namespace ibr::http {

class ConnectionGate;

struct ApiContext {
  daemon::RecorderService& service;
  const Clock& clock;
  FileSystem& fs;
  const HttpServerOptions& options;
  StreamLimiter& streams;
  QueryGate& queries;  // historical and buffer reads; see QueryAdmission
  const std::atomic<bool>& stopping;
  QueryGate* ingests = nullptr;                 // ingest bodies held at once (max_ingest_in_progress); null: no bound
  const ConnectionGate* connections = nullptr;  // for /metrics

  const daemon::RecorderConfig& config() const { return service.config(); }
  const std::string& root() const { return service.storage_root(); }
};

}  // namespace ibr::http
