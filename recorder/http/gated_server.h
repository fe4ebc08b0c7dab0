// GatedServer: cpp-httplib's Server with its connections handed to a
// ConnectionGate instead of its own worker pool: the library's accept loop
// calls Admit() inline (InlineTaskQueue), and the gate's workers call
// ServeOne() for each request whose head is complete. Built and started by
// HttpServer; ServeOne runs on the gate's workers.
#pragma once

#include <httplib.h>

#include "http/connection_gate.h"

namespace ibr::http {

class GatedServer final : public httplib::Server {
 public:
  GatedServer();
  // Must be set before listening; must outlive the listener.
  void set_gate(ConnectionGate* gate) { gate_ = gate; }
  // One request (line, headers, body) read from `strm` and answered.
  bool ServeOne(httplib::Stream& strm, bool close_connection, bool& connection_closed);

 private:
  bool process_and_close_socket(socket_t sock) override;
  ConnectionGate* gate_ = nullptr;
};

}  // namespace ibr::http
