// SseSimulatorServer: the simulator (ingest/simulator.h) served over HTTP the
// way an ib-stream server serves its live stream, so the sse source is tested
// end to end. GET /v2/stream/{id}?tick_types=... and /v2/stream/{id}/{tick_type}
// answer text/event-stream with X-IB-Stream-Version: 2.0.0: an `info` message
// per tick type (status "subscribed"), then ticks paced in real time, each
// `event: <type>\ndata: <json>\n` with NO blank line between events and ", " /
// ": " separators (the real server's framing), a `heartbeat` when quiet.
// GET /health answers JSON. The object owns its listening thread and one pool
// thread per open stream; Start/Stop from one thread, the rest from any.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "ingest/simulator.h"

namespace ibr::daemon {

struct SseSimulatorServerOptions {
  // Symbols (they pick the price model) of known ids; any other requested id
  // is served too, as an unnamed stock-like contract.
  std::vector<ingest::SimContract> contracts;
  double rate = 10;                               // ticks/s per stream, its tick types together
  std::uint64_t seed = 1;                         // each stream: seed + contract id
  // After this long without an event. <= 0: never (then a client that went
  // away is noticed only when the next tick is written).
  TimeUs heartbeat_interval = 15 * kUsPerSecond;
  int max_streams = 64;                           // more open streams are answered 503
};

class SseSimulatorServer {
 public:
  // `clock` stamps and paces the ticks; it must outlive the server.
  SseSimulatorServer(SseSimulatorServerOptions options, const Clock& clock);
  ~SseSimulatorServer();  // Stop()
  SseSimulatorServer(const SseSimulatorServer&) = delete;
  SseSimulatorServer& operator=(const SseSimulatorServer&) = delete;

  // Listens on host:port (port 0: a free port, see port()) and serves on its
  // own thread until Stop(). Once per object.
  Status Start(const std::string& host, int port);
  int port() const;
  // Ends every open stream (clients see the connection close), stops
  // listening and joins. Idempotent.
  void Stop();

  // Test hook: answer /v2/stream/{contract_id} with `http_status` and a JSON
  // error body instead of a stream (0 serves it again). Open streams go on.
  void SetFailure(std::uint32_t contract_id, int http_status);

  int open_streams() const;
  std::uint64_t streams_opened() const;
  std::uint64_t ticks_sent() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Rewrites compact JSON with json.dumps' default separators (", " and ": "
// outside strings), appending to `out`. Already spaced text stays as it is.
void AppendWireSpacedJson(std::string& out, std::string_view json);

}  // namespace ibr::daemon
