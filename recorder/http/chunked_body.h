// ChunkedBody: a response body produced while it is sent (HTTP chunked
// transfer): the producer runs inside cpp-httplib's content provider, on the
// worker thread that handled the request, writing into an OutputBuffer whose
// ~256 KiB chunks go straight to the socket. Memory stays bounded whatever
// the size of the answer.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include <httplib.h>

#include "common/status.h"
#include "query/output_buffer.h"

namespace ibr::http {

// Called once; everything it writes to `out` is sent. A non-ok status after
// the headers went out ends the connection without the final chunk, so the
// client sees a truncated answer rather than a complete-looking one.
using BodyProducer = std::function<Status(query::OutputBuffer& out)>;

// Once `stopping` is set (server shutdown) the next chunk fails, ending the answer early.
void SetChunkedBody(httplib::Response& res, const std::string& content_type, const std::atomic<bool>& stopping,
                    BodyProducer produce);

}  // namespace ibr::http
