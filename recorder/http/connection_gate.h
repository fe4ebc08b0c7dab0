// ConnectionGate: every accepted connection of the HTTP server. One poll
// thread reads request heads (a slow or silent client costs a socket, never a
// worker), answers bad, oversized or too-slow heads at once (400/413/431/408)
// and bounds the connections waiting (oldest closed first); complete heads go
// to a worker — GET /health to its own small pool, everything else to the
// main pool under a cap per client address and in total (503 past them).
// After an answer the connection returns here (keep-alive) or is drained and
// closed. Admit() from the accept thread; Start/Stop from the owning thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "common/status.h"
#include "http/http_options.h"

namespace ibr::http {

class ConnectionGate {
 public:
  // Serves one request read from `strm` (cpp-httplib's process_request).
  using Serve = std::function<bool(httplib::Stream& strm, bool close_connection, bool& connection_closed)>;

  struct Counters {
    std::uint64_t waiting = 0;       // connections waiting for a request head now
    std::uint64_t in_progress = 0;   // requests on workers now (live streams included)
    std::uint64_t refused_busy = 0;  // 503: caps reached (since start)
    std::uint64_t timed_out = 0;     // 408: head not received in time
    std::uint64_t bad_requests = 0;  // 400/413/414/431 answered before any handler
  };

  ConnectionGate(const HttpServerOptions& options, Serve serve);
  ~ConnectionGate();  // Stop()
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  Status Start();
  // Takes ownership of an accepted socket.
  void Admit(int fd);
  // Closes waiting connections, fails pending reads, joins the workers. Idempotent.
  void Stop();
  Counters counters() const;

  // Called by a handler on its worker: close the connection after this answer
  // (the request body was not read to its end).
  static void CloseAfterAnswer();

 private:
  struct Conn;
  using Deadline = std::chrono::steady_clock::time_point;

  void Run();
  void Take(std::vector<Conn>& conns, Conn&& c);
  void OnReadable(Conn& c);
  void Examine(Conn& c);
  void Dispatch(Conn& c, bool health);
  void EarlyAnswer(Conn& c, int status, const std::string& message, bool linger);
  void Work(std::shared_ptr<Conn> c, bool health);
  void Wake();

  const HttpServerOptions& options_;
  const Serve serve_;
  std::atomic<bool> stopping_{false};
  int wake_fd_ = -1;
  std::thread thread_;
  std::unique_ptr<httplib::ThreadPool> pool_, health_pool_;

  mutable std::mutex mu_;
  std::vector<Conn> incoming_;  // new and kept-alive connections for the poll thread
  std::map<std::string, std::size_t> per_client_;  // requests on workers, by address
  std::size_t in_progress_ = 0, health_waiting_ = 0;
  std::uint64_t next_order_ = 0;
  std::atomic<std::uint64_t> waiting_{0}, refused_busy_{0}, timed_out_{0}, bad_requests_{0};
};

}  // namespace ibr::http
