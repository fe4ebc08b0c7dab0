// GatedServer: accepted sockets go to the gate; requests come back through ServeOne.
#include "http/gated_server.h"

#include <unistd.h>

#include <functional>

namespace ibr::http {
namespace {

// Runs the accept loop's task (hand the socket to the gate) on the accept thread itself.
class InlineTaskQueue final : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

}  // namespace

GatedServer::GatedServer() {
  new_task_queue = [] { return new InlineTaskQueue(); };
}

bool GatedServer::ServeOne(httplib::Stream& strm, bool close_connection, bool& connection_closed) {
  return process_request(strm, close_connection, connection_closed, nullptr);
}

bool GatedServer::process_and_close_socket(socket_t sock) {
  if (gate_ == nullptr) {
    ::close(sock);
    return false;
  }
  gate_->Admit(sock);
  return true;
}

}  // namespace ibr::http
