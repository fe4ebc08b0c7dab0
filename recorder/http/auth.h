// Auth: the X-API-Key check in front of every route but /health. The key
// comes from RecorderConfig::api_key (empty: no check) and is never echoed.
// Pure functions; any worker thread.
#pragma once

#include <string>
#include <string_view>

#include <httplib.h>

namespace ibr::http {

// Equal in time independent of where the first difference is (length still leaks).
bool ApiKeyMatches(std::string_view expected, std::string_view given);
// Paths answered without a key: /health only.
bool IsOpenPath(std::string_view path);
// True when the request may proceed; otherwise `res` is a 401 JSON answer.
bool Authorize(const std::string& api_key, const httplib::Request& req, httplib::Response& res);

}  // namespace ibr::http
