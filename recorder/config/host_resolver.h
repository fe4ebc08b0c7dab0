// HostResolver: turns a bind value (an IP address or a host name) into the
// numeric addresses it stands for, so the recorder can tell whether it would
// listen on loopback only. The system one asks getaddrinfo; tests inject a
// stub. Implementations are stateless and callable from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ibr::config {

class HostResolver {
 public:
  virtual ~HostResolver() = default;
  // The numeric addresses of `host` ("127.0.0.1", "::1"), or NotFound when it
  // does not resolve. "[::1]" is taken as "::1".
  virtual Result<std::vector<std::string>> Resolve(const std::string& host) const = 0;
};

// getaddrinfo. A name under the reserved ".invalid" top-level domain
// (RFC 6761) is NotFound without asking DNS.
const HostResolver& SystemHostResolver();

// True for a numeric address in 127.0.0.0/8, ::1 or ::ffff:127.x.x.x.
bool IsLoopbackIp(std::string_view numeric);

// Ok when `bind` resolves only to loopback addresses (*loopback = true), or
// when it resolves at all and `have_api_key` (*loopback = false).
// InvalidArgument naming `variable` otherwise: a name that does not resolve,
// or a non-loopback address without an API key.
Status CheckBindAddress(const std::string& variable, const std::string& bind, bool have_api_key,
                        const HostResolver& resolver, bool* loopback = nullptr);

}  // namespace ibr::config
