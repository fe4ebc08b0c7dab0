// HttpServerOptions: how the recorder's HTTP server listens and bounds its
// work (worker threads, concurrent live streams and read queries, ingest body size, timeouts).
// Plain value, filled by whoever starts the HttpServer (the run command, tests).
#pragma once

#include <cstddef>
#include <string>

#include "common/clock.h"

namespace ibr::http {

struct HttpServerOptions {
  std::string bind = "127.0.0.1";
  int port = 0;                         // 0: the server picks a free port (see HttpServer::port())
  std::size_t max_live_streams = 32;    // concurrent SSE streams; the next one gets 503
  std::size_t threads = 64;             // worker threads; each open connection holds one
  std::size_t max_concurrent_queries = 2;  // historical/buffer reads running at once; others wait
  int query_wait_ms = 10'000;           // longest wait for a query place before 503 + Retry-After
  std::size_t max_ingest_bytes = 64u << 20;  // POST /v2/ingest body limit; larger bodies get 413
  TimeUs heartbeat_interval = 15 * kUsPerSecond;  // SSE heartbeat period, measured on the Clock
  int poll_ms = 200;                    // SSE: longest wait for a live tick before checking the rest
  int read_timeout_seconds = 30;        // reading one request (large ingest bodies)
  int write_timeout_seconds = 30;       // a client that takes nothing for this long is dropped
};

}  // namespace ibr::http
