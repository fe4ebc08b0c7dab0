// HttpServer: socket, worker pool, listener thread.
#include "http/http_server.h"

#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <csignal>

#include <httplib.h>

#include "common/file_system.h"
#include "daemon/recorder_config.h"
#include "http/api_context.h"
#include "http/connection_gate.h"
#include "http/gated_server.h"
#include "http/query_gate.h"
#include "http/routes.h"
#include "http/stream_limiter.h"

namespace ibr::http {

HttpServer::HttpServer(daemon::RecorderService& service, const Clock& clock, HttpServerOptions options)
    : service_(service), clock_(clock), options_(std::move(options)) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  if (server_) return Status::FailedPrecondition("HttpServer::Start called twice");
  if (!daemon::IsLoopbackAddress(options_.bind) && service_.config().api_key.empty()) {
    return Status::FailedPrecondition("refusing to serve on " + options_.bind +
                                      " without an API key: set IB_STREAM_API_KEY, or bind to 127.0.0.1");
  }
  if (options_.max_live_streams == 0 || options_.threads < options_.max_live_streams + 8) {
    return Status::InvalidArgument("HTTP threads (" + std::to_string(options_.threads) +
                                   ") must exceed max live streams (" + std::to_string(options_.max_live_streams) +
                                   ") by at least 8, so /health and the API answer while every stream is open");
  }
  std::signal(SIGPIPE, SIG_IGN);  // a client that goes away must not kill the recorder

  if (options_.max_concurrent_queries == 0) {
    return Status::InvalidArgument("max concurrent queries must be at least 1 (IB_STREAM_MAX_CONCURRENT_QUERIES)");
  }
  streams_ = std::make_unique<StreamLimiter>(options_.max_live_streams);
  queries_ = std::make_unique<QueryGate>(options_.max_concurrent_queries,
                                         std::chrono::milliseconds(options_.query_wait_ms));
  ingests_ = std::make_unique<QueryGate>(options_.max_ingest_in_progress,
                                         std::chrono::milliseconds(options_.ingest_wait_ms));
  server_ = std::make_unique<GatedServer>();
  GatedServer* server = server_.get();
  gate_ = std::make_unique<ConnectionGate>(
      options_, [server](httplib::Stream& strm, bool close_connection, bool& connection_closed) {
        return server->ServeOne(strm, close_connection, connection_closed);
      });
  server_->set_gate(gate_.get());
  ctx_ = std::make_unique<ApiContext>(ApiContext{service_, clock_, PosixFileSystem::Instance(), options_, *streams_,
                                                 *queries_, stopping_, ingests_.get(), gate_.get()});
  server_->set_keep_alive_max_count(options_.keep_alive_max_requests);
  server_->set_keep_alive_timeout(std::max(1, options_.keep_alive_idle_ms / 1000));
  server_->set_read_timeout(options_.read_timeout_seconds, 0);
  server_->set_write_timeout(options_.write_timeout_seconds, 0);
  server_->set_payload_max_length(options_.max_ingest_bytes);
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;  // SO_REUSEADDR only: the library's default SO_REUSEPORT would let two recorders share a port
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  RegisterRoutes(*server_, *ctx_);
  if (Status g = gate_->Start(); !g.ok()) return g;

  if (options_.port == 0) {
    port_ = server_->bind_to_any_port(options_.bind);
    if (port_ < 0) {
      port_ = 0;
      return Status::Unavailable("cannot bind an HTTP port on " + options_.bind);
    }
  } else {
    if (!server_->bind_to_port(options_.bind, options_.port)) {
      return Status::Unavailable("cannot bind " + options_.bind + ":" + std::to_string(options_.port) +
                                 " (in use by another process? set IB_STREAM_RECORDER_PORT or --port)");
    }
    port_ = options_.port;
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // listen_after_bind marks the server running first thing; Stop() before that would be lost.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!server_->is_running()) {
    Stop();
    return Status::Internal("the HTTP listener thread did not start");
  }
  return Status::Ok();
}

void HttpServer::Stop() {
  if (!server_) return;
  stopping_.store(true);
  // Open streams notice within poll_ms and end with a `complete` event; the
  // library stops calling content providers once its socket is closed, so
  // give them that moment first (bounded: a stuck client must not hold us).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1000 + 5 * options_.poll_ms);
  while (streams_ && streams_->open() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  server_->stop();
  if (thread_.joinable()) thread_.join();
  gate_->Stop();  // closes waiting connections, joins the workers
  server_.reset();
  gate_.reset();
}

}  // namespace ibr::http
