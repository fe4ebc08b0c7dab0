// ConnectionStream: poll-bounded reads and writes on a non-blocking socket.
#include "http/connection_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ibr::http {
namespace {

constexpr int kStopCheckMs = 200;  // how often a waiting read looks at `stopping`

int MsUntil(ConnectionStream::Deadline d) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(d - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<std::int64_t>(0, left.count()));
}

}  // namespace

bool SocketAddress(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  auto* sa = reinterpret_cast<sockaddr*>(&ss);
  if ((peer ? ::getpeername(fd, sa, &len) : ::getsockname(fd, sa, &len)) != 0) return false;
  char text[INET6_ADDRSTRLEN] = {0};
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    port = ntohs(a->sin_port);
  } else if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
    port = ntohs(a->sin6_port);
  } else {
    return false;
  }
  ip = text;
  return true;
}

ConnectionStream::ConnectionStream(int fd, std::string buffered, std::string peer_ip, int peer_port,
                                   int read_timeout_ms, int write_timeout_ms, Deadline read_deadline,
                                   const std::atomic<bool>& stopping)
    : fd_(fd),
      buffered_(std::move(buffered)),
      peer_ip_(std::move(peer_ip)),
      peer_port_(peer_port),
      read_timeout_ms_(read_timeout_ms),
      write_timeout_ms_(write_timeout_ms),
      read_deadline_(read_deadline),
      stopping_(stopping) {}

bool ConnectionStream::is_readable() const {
  if (consumed_ < buffered_.size()) return true;
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

bool ConnectionStream::is_writable() const {
  pollfd p{fd_, POLLOUT | POLLRDHUP, 0};
  if (::poll(&p, 1, 0) < 0) return false;
  return (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) == 0;
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (consumed_ < buffered_.size()) {
    const std::size_t n = std::min(size, buffered_.size() - consumed_);
    std::memcpy(ptr, buffered_.data() + consumed_, n);
    consumed_ += n;
    if (consumed_ == buffered_.size()) {
      buffered_.clear();
      buffered_.shrink_to_fit();
      consumed_ = 0;
    }
    return static_cast<ssize_t>(n);
  }
  const auto idle_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(read_timeout_ms_);
  for (;;) {
    const ssize_t n = ::recv(fd_, ptr, size, MSG_DONTWAIT);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
    if (stopping_.load()) return -1;
    const int wait = std::min({MsUntil(read_deadline_), MsUntil(idle_deadline), kStopCheckMs});
    if (wait <= 0) return -1;  // too slow: the library answers or closes
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, wait) < 0 && errno != EINTR) return -1;
  }
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(write_timeout_ms_);
  for (;;) {
    const ssize_t n = ::send(fd_, ptr, size, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
    const int wait = MsUntil(deadline);
    if (wait <= 0) return -1;  // the client takes nothing: drop it
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, wait) < 0 && errno != EINTR) return -1;
    if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) return -1;
  }
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = peer_ip_;
  port = peer_port_;
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  if (!SocketAddress(fd_, false, ip, port)) {
    ip.clear();
    port = 0;
  }
}

std::string ConnectionStream::TakeUnread() {
  std::string rest = buffered_.substr(consumed_);
  buffered_.clear();
  consumed_ = 0;
  return rest;
}

}  // namespace ibr::http
