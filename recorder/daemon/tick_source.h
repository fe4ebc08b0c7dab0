// TickSource: a live producer of v2 lines for a RecorderService (the SSE
// client of an upstream ib-stream, the built-in simulator). A source owns its
// threads: Start() returns at once, Stop() returns once they have ended.
// Sources decode lines themselves (one V2Decoder per thread) and hand the
// results to RecorderService::Submit; connection state goes to
// StreamConnected / StreamDisconnected.
#pragma once

#include <string>

#include "common/status.h"
#include "daemon/recorder_service.h"

namespace ibr::daemon {

class TickSource {
 public:
  virtual ~TickSource() = default;
  virtual Status Start(RecorderService& service) = 0;
  virtual void Stop() = 0;
  virtual std::string name() const = 0;  // "sse", "sim"
};

}  // namespace ibr::daemon
