// Test support: a TCP proxy in front of the real PostgreSQL, to play a dead
// network. Up: bytes pass both ways. Down: every open connection is cut and
// new ones are accepted and closed at once (libpq: "server closed the
// connection unexpectedly"). Owns a listening socket on 127.0.0.1 and one
// thread per connection; SetUp() may be called from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ibr::sync::testing {

class TcpProxy {
 public:
  // Forwards 127.0.0.1:<port()> to target_host:target_port; port() == 0 when it could not listen.
  TcpProxy(std::string target_host, int target_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }
  void SetUp(bool up);
  // `dsn` with host and port pointed at the proxy (libpq: the last keyword wins).
  std::string Through(const std::string& dsn) const;
  // The host= and port= of a libpq keyword/value DSN ("" / 0 when absent).
  static std::pair<std::string, int> HostPort(const std::string& dsn);

 private:
  void AcceptLoop();
  void Pump(int client, int server);
  void CutAll();

  std::string host_;
  int target_port_ = 0;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> up_{true}, stopping_{false};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<int> open_fds_;
  std::vector<std::thread> pumps_;
};

}  // namespace ibr::sync::testing
