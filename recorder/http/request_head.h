// RequestHead: checks the bytes a client has sent so far for a complete,
// well-formed HTTP/1.x request head (request line + headers + blank line),
// before any worker is given to the request. Finds the bad ones early (bytes
// that cannot be HTTP, a bad or oversized Content-Length, an oversized head)
// so they are answered 400/413/431 at once. Pure function; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ibr::http {

struct RequestHead {
  enum class State { kIncomplete, kComplete, kBad };
  State state = State::kIncomplete;
  std::size_t size = 0;  // kComplete: bytes through the blank line
  std::string method;    // kComplete
  std::string target;    // kComplete: the request target as sent ("/health?x=1")
  int status = 0;        // kBad: the HTTP status to answer (400, 413, 414, 431)
  std::string error;     // kBad: what is wrong, for the client
};

// `bytes`: everything received on the connection for this request so far.
RequestHead CheckRequestHead(std::string_view bytes, std::uint64_t max_body_bytes, std::size_t max_head_bytes);

}  // namespace ibr::http
