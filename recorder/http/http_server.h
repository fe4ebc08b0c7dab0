// HttpServer: the recorder's HTTP API and status page (cpp-httplib) — binds
// (port 0: a free one), accepts on its own thread and hands connections to a
// ConnectionGate (slow clients cost no worker; caps per client and in total;
// /health on its own workers), whose HttpServerOptions::threads workers serve
// the requests so long-lived SSE streams (at most max_live_streams) never
// starve the API; stops on Stop(). Start/Stop/port from the owning thread.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "common/clock.h"
#include "common/status.h"
#include "daemon/recorder_service.h"
#include "http/http_options.h"

namespace ibr::http {

struct ApiContext;
class StreamLimiter;
class QueryGate;
class ConnectionGate;
class GatedServer;

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
  std::unique_ptr<QueryGate> ingests_;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<ApiContext> ctx_;
  std::unique_ptr<ConnectionGate> gate_;
  std::unique_ptr<GatedServer> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace ibr::http
