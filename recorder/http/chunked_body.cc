// ChunkedBody: OutputBuffer -> DataSink.
#include "http/chunked_body.h"

#include <memory>

namespace ibr::http {

void SetChunkedBody(httplib::Response& res, const std::string& content_type, const std::atomic<bool>& stopping,
                    BodyProducer produce) {
  auto producer = std::make_shared<BodyProducer>(std::move(produce));
  res.set_chunked_content_provider(content_type, [producer, &stopping](std::size_t, httplib::DataSink& sink) {
    query::OutputBuffer out([&sink, &stopping](std::string_view chunk) {
      if (stopping.load(std::memory_order_relaxed)) return Status::Unavailable("the server is stopping");
      if (chunk.empty() || sink.write(chunk.data(), chunk.size())) return Status::Ok();
      return Status::Unavailable("the client stopped reading");
    });
    Status s = (*producer)(out);
    if (s.ok()) s = out.Flush();
    if (!s.ok()) {
      (void)out.Flush();  // what was produced before the failure
      return false;
    }
    sink.done();
    return true;
  });
}

}  // namespace ibr::http
