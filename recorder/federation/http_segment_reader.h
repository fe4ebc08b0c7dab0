// HttpSegmentReader: an instance's ticks read over its HTTP API —
// GET /v2/historical/{id}/range?format=protobuf (X-API-Key when a key is
// given), decoded frame by frame as they stream in. Before the first read it
// asks /health which instance answers at host:port, so a port reused by a
// blue-green successor is not mistaken for its predecessor. One thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "federation/coverage_plan.h"
#include "federation/segment_reader.h"

namespace ibr::federation {

struct HttpReadOptions {
  std::string api_key;           // sent as X-API-Key when not empty
  int connect_timeout_s = 5;
  int read_timeout_s = 60;       // a quiet pause in a streamed answer longer than this fails the read
};

class HttpSegmentReader final : public SegmentReader {
 public:
  HttpSegmentReader(InstanceRef instance, HttpReadOptions options);
  ~HttpSegmentReader() override;

  Status Read(const SegmentRequest& request, query::TickSink& sink, std::vector<std::string>& notes) override;
  std::string Describe() const override;

 private:
  Status CheckIdentity();  // once; remembers the answer

  const InstanceRef instance_;
  const HttpReadOptions options_;
  std::optional<Status> identity_;
};

}  // namespace ibr::federation
