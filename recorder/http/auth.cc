// Auth: constant-time key comparison and the 401 answer.
#include "http/auth.h"

#include "http/json_reply.h"

namespace ibr::http {

bool ApiKeyMatches(std::string_view expected, std::string_view given) {
  unsigned diff = expected.size() == given.size() ? 0u : 1u;
  for (std::size_t i = 0; i < given.size(); ++i) {
    const unsigned char e = expected.empty() ? 0 : static_cast<unsigned char>(expected[i % expected.size()]);
    diff |= e ^ static_cast<unsigned char>(given[i]);
  }
  return diff == 0 && !expected.empty();
}

bool IsOpenPath(std::string_view path) { return path == "/health"; }

bool Authorize(const std::string& api_key, const httplib::Request& req, httplib::Response& res) {
  if (api_key.empty() || IsOpenPath(req.path)) return true;
  if (!req.has_header("X-API-Key")) {
    ReplyError(res, 401, "missing X-API-Key header: this recorder requires an API key (IB_STREAM_API_KEY)");
    return false;
  }
  if (!ApiKeyMatches(api_key, req.get_header_value("X-API-Key"))) {
    ReplyError(res, 401, "wrong X-API-Key: it does not match this recorder's IB_STREAM_API_KEY");
    return false;
  }
  return true;
}

}  // namespace ibr::http
