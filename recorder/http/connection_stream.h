// ConnectionStream: cpp-httplib's Stream over one accepted, non-blocking
// socket, for one request: first the bytes ConnectionGate already read (the
// head, perhaps some body), then the socket, each read bounded by the read
// timeout and all of them by the body deadline; writes bounded by the write
// timeout. is_writable() is false once the client has hung up, so a live
// stream notices a closed client without writing. Used by one worker thread.
#pragma once

#include <sys/select.h>

#include <atomic>
#include <chrono>
#include <string>

#include <httplib.h>

namespace ibr::http {

class ConnectionStream final : public httplib::Stream {
 public:
  using Deadline = std::chrono::steady_clock::time_point;
  // `stopping`: once true, reads fail (the server is stopping). It must outlive the stream.
  ConnectionStream(int fd, std::string buffered, std::string peer_ip, int peer_port, int read_timeout_ms,
                   int write_timeout_ms, Deadline read_deadline, const std::atomic<bool>& stopping);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  // cpp-httplib only compares this with FD_SETSIZE (its select() path, which
  // this stream does not use: it polls): a descriptor past 1023 must not turn
  // the request into a 500, so such a one is reported as 0.
  socket_t socket() const override { return fd_ < FD_SETSIZE ? fd_ : 0; }

  // Bytes received but not read by the request (a pipelined next request).
  std::string TakeUnread();

 private:
  const int fd_;
  std::string buffered_;
  std::size_t consumed_ = 0;
  const std::string peer_ip_;
  const int peer_port_;
  const int read_timeout_ms_;
  const int write_timeout_ms_;
  const Deadline read_deadline_;
  const std::atomic<bool>& stopping_;
};

// The socket's address as text and port ("127.0.0.1", 43210); false when unknown.
bool SocketAddress(int fd, bool peer, std::string& ip, int& port);

}  // namespace ibr::http
