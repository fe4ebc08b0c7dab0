// NotifyListener: a bound AF_UNIX datagram socket standing in for systemd's notify socket
// (a path, or "@name" in the abstract namespace), for tests of SystemdNotifier and of the
// daemons' READY/STATUS/STOPPING messages. One thread uses a listener at a time.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <optional>
#include <string>

namespace ibr::testing {

class NotifyListener {
 public:
  explicit NotifyListener(std::string name) : name_(std::move(name)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (name_.empty() || name_.size() >= sizeof(addr.sun_path)) return;
    std::memcpy(addr.sun_path, name_.data(), name_.size());
    const bool abstract = name_[0] == '@';
    if (abstract) addr.sun_path[0] = '\0';
    if (!abstract) ::unlink(name_.c_str());
    const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name_.size() + (abstract ? 0 : 1));
    bound_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), len) == 0;
  }
  ~NotifyListener() {
    if (fd_ >= 0) ::close(fd_);
    if (bound_ && name_[0] == '/') ::unlink(name_.c_str());
  }
  NotifyListener(const NotifyListener&) = delete;
  NotifyListener& operator=(const NotifyListener&) = delete;

  bool bound() const { return bound_; }
  const std::string& name() const { return name_; }

  // The next datagram, waiting at most `timeout_ms` for one to arrive; nullopt if none did.
  std::optional<std::string> Receive(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return std::nullopt;
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0) return std::nullopt;
    return std::string(buf, static_cast<std::size_t>(n));
  }

 private:
  std::string name_;
  int fd_ = -1;
  bool bound_ = false;
};

}  // namespace ibr::testing
