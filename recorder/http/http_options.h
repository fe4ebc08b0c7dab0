// HttpServerOptions: how the recorder's HTTP server listens and bounds its
// work (worker threads, connections per client and in total, concurrent live
// streams and read queries, ingest body size, timeouts). Every limit of the
// HTTP server is here, in one place. Plain value, filled by whoever starts the
// HttpServer (the run command, tests).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/clock.h"

namespace ibr::http {

struct HttpServerOptions {
  std::string bind = "127.0.0.1";
  int port = 0;                         // 0: the server picks a free port (see HttpServer::port())
  std::size_t max_live_streams = 32;    // concurrent SSE streams; the next one gets 503
  std::size_t threads = 64;             // request workers; a request holds one from its head to its answer
  std::size_t max_concurrent_queries = 2;  // historical/buffer reads running at once; others wait
  int query_wait_ms = 10'000;           // longest wait for a query place before 503 + Retry-After
  std::size_t max_ingest_bytes = 64u << 20;  // request body limit (POST /v2/ingest); larger bodies get 413
  TimeUs heartbeat_interval = 15 * kUsPerSecond;  // SSE heartbeat period, measured on the Clock
  int poll_ms = 200;                    // SSE: longest wait for a live tick before checking the rest
  int read_timeout_seconds = 30;        // longest pause while a request body arrives
  int write_timeout_seconds = 30;       // a client that takes nothing for this long is dropped

  // --- connections (ConnectionGate) ---
  // Waiting for a request head costs no worker: heads are read by one poll
  // thread, and a request reaches a worker only once its head is complete.
  int head_timeout_ms = 10'000;         // the whole request head (line + headers) must arrive within this: else 408
  int body_timeout_seconds = 300;       // the whole body must arrive within this (64 MiB at >= 0.25 MB/s): else cut
  int keep_alive_idle_ms = 5'000;       // an idle kept-alive connection is closed after this
  std::size_t keep_alive_max_requests = 100;  // requests on one connection, then it is closed
  std::size_t max_head_bytes = 32u << 10;     // request line + headers; larger heads get 431
  std::size_t max_waiting_connections = 512;  // connections waiting for their head; past it the oldest is closed (503)
  std::size_t max_waiting_per_client = 256;   // the same, per client address
  std::size_t max_requests_per_client = 48;   // requests on workers at once from one address; the next gets 503
  std::size_t health_threads = 2;       // GET /health runs on its own workers, never behind other requests
  std::size_t max_health_waiting = 64;  // /health requests queued for those workers; past it 503
  int linger_ms = 1'000;                // after an early error answer, unread input is drained this long
  std::size_t max_ingest_in_progress = 4;  // ingest bodies held at once (memory: 2x max_ingest_bytes each)
  int ingest_wait_ms = 30'000;          // longest wait for an ingest place before 503 + Retry-After
};

}  // namespace ibr::http
