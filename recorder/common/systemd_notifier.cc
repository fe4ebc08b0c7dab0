#include "common/systemd_notifier.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace ibr {
namespace {

// A status line is one line: a newline in it would start another assignment.
std::string StatusLine(std::string_view status) {
  std::string s(status);
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return "STATUS=" + s;
}

}  // namespace

SystemdNotifier SystemdNotifier::FromEnvironment() {
  const char* s = std::getenv("NOTIFY_SOCKET");
  return SystemdNotifier(s ? s : "");
}

SystemdNotifier::SystemdNotifier(std::string socket) : socket_(std::move(socket)) {}

Status SystemdNotifier::Send(std::string_view message) const {
  if (socket_.empty()) return Status::Ok();
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_.size() >= sizeof(addr.sun_path) || (socket_[0] != '/' && socket_[0] != '@')) {
    return Status::InvalidArgument("NOTIFY_SOCKET '" + socket_ +
                                   "' is neither an absolute path nor '@' + an abstract name shorter than " +
                                   std::to_string(sizeof(addr.sun_path)) + " bytes");
  }
  std::memcpy(addr.sun_path, socket_.data(), socket_.size());
  if (socket_[0] == '@') addr.sun_path[0] = '\0';
  const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_.size() + (socket_[0] == '@' ? 0 : 1));
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::IoError(std::string("notify socket: ") + std::strerror(errno));
  ssize_t n;
  do {
    n = ::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&addr), len);
  } while (n < 0 && errno == EINTR);
  const int err = errno;
  ::close(fd);
  if (n < 0) return Status::IoError("notify systemd at " + socket_ + ": " + std::strerror(err));
  return Status::Ok();
}

Status SystemdNotifier::Ready(std::string_view status) const { return Send("READY=1\n" + StatusLine(status)); }

Status SystemdNotifier::SetStatus(std::string_view status) const { return Send(StatusLine(status)); }

Status SystemdNotifier::Stopping(std::string_view status) const {
  return Send("STOPPING=1\n" + StatusLine(status));
}

}  // namespace ibr
