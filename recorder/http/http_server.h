// HttpServer: the recorder's HTTP API and status page (cpp-httplib) — binds
// (port 0: a free one), serves on its own thread with a pool of
// HttpServerOptions::threads workers so long-lived SSE streams (at most
// max_live_streams) never starve /health and the API, and stops on Stop().
// Start/Stop/port from the owning thread; handlers run on the workers.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "common/clock.h"
#include "common/status.h"
#include "daemon/recorder_service.h"
#include "http/http_options.h"

namespace httplib {
class Server;
}

namespace ibr::http {

struct ApiContext;
class StreamLimiter;
class QueryGate;

class HttpServer {
 public:
  // `service` and `clock` must outlive the server.
  HttpServer(daemon::RecorderService& service, const Clock& clock, HttpServerOptions options);
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving; returns once requests are being accepted.
  // FailedPrecondition for a non-loopback bind without an API key,
  // InvalidArgument for inconsistent options, Unavailable when the address
  // cannot be bound.
  Status Start();
  // The bound port (after Start).
  int port() const { return port_; }
  // Ends open streams (a `complete` event), stops accepting, joins. Idempotent.
  void Stop();

 private:
  daemon::RecorderService& service_;
  const Clock& clock_;
  const HttpServerOptions options_;
  std::unique_ptr<StreamLimiter> streams_;
  std::unique_ptr<QueryGate> queries_;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<ApiContext> ctx_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace ibr::http
