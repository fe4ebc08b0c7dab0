// SystemdNotifier: the systemd notify protocol (sd_notify(3)) without libsystemd — one
// datagram per message ("READY=1", "STATUS=...", "STOPPING=1") to the AF_UNIX socket named
// by $NOTIFY_SOCKET (a leading '@' is the abstract namespace). Without a socket (not started
// by systemd with Type=notify) every call is a no-op that succeeds.
// Immutable after construction; any thread may send (each send uses its own socket).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace ibr {

class SystemdNotifier {
 public:
  // Reads $NOTIFY_SOCKET.
  static SystemdNotifier FromEnvironment();
  // `socket` as in $NOTIFY_SOCKET: a path, or "@name" for the abstract namespace; empty: disabled.
  explicit SystemdNotifier(std::string socket);

  bool enabled() const { return !socket_.empty(); }
  const std::string& socket() const { return socket_; }

  // Sends `message` (newline-separated KEY=VALUE assignments) as one datagram.
  Status Send(std::string_view message) const;
  // READY=1 plus STATUS=<status>.
  Status Ready(std::string_view status) const;
  Status SetStatus(std::string_view status) const;
  // STOPPING=1 plus STATUS=<status>.
  Status Stopping(std::string_view status) const;

 private:
  std::string socket_;
};

}  // namespace ibr
