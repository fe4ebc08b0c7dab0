// HostResolver: getaddrinfo, and the loopback rule for the recorder's bind address.
#include "config/host_resolver.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "config/config_text.h"

namespace ibr::config {
namespace {

std::string Unbracket(const std::string& host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
  return host;
}

bool UnderInvalidTld(std::string_view host) {
  if (host.ends_with(".")) host.remove_suffix(1);
  std::string lower(host);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return lower == "invalid" || lower.ends_with(".invalid");
}

class SystemResolver final : public HostResolver {
 public:
  Result<std::vector<std::string>> Resolve(const std::string& host_text) const override {
    const std::string host = Unbracket(host_text);
    if (host.empty() || UnderInvalidTld(host)) {
      return Status::NotFound("'" + Printable(host_text) + "' does not resolve (a reserved .invalid name)");
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* res = nullptr;
    int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &res);
    if (rc != 0) {
      return Status::NotFound("'" + Printable(host_text) + "' does not resolve: " + ::gai_strerror(rc));
    }
    std::vector<std::string> out;
    for (addrinfo* a = res; a; a = a->ai_next) {
      char buf[INET6_ADDRSTRLEN] = {};
      const void* src = nullptr;
      if (a->ai_family == AF_INET) src = &reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr;
      if (a->ai_family == AF_INET6) src = &reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr;
      if (src && ::inet_ntop(a->ai_family, src, buf, sizeof buf)) {
        std::string s = buf;
        bool seen = false;
        for (const auto& o : out) seen = seen || o == s;
        if (!seen) out.push_back(s);
      }
    }
    ::freeaddrinfo(res);
    if (out.empty()) return Status::NotFound("'" + Printable(host_text) + "' resolves to no IP address");
    return out;
  }
};

}  // namespace

const HostResolver& SystemHostResolver() {
  static const SystemResolver kResolver;
  return kResolver;
}

bool IsLoopbackIp(std::string_view numeric) {
  std::string s(numeric);
  in_addr v4{};
  if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, s.c_str(), &v6) != 1) return false;
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
  if (IN6_IS_ADDR_V4MAPPED(&v6)) return v6.s6_addr[12] == 127;
  return false;
}

Status CheckBindAddress(const std::string& variable, const std::string& bind, bool have_api_key,
                        const HostResolver& resolver, bool* loopback) {
  auto addrs = resolver.Resolve(bind);
  if (!addrs.ok()) {
    return Status::InvalidArgument(variable + "='" + Printable(bind) + "' is not valid: " + addrs.status().message() +
                                   "; expected an IP address or a host name that resolves, e.g. 127.0.0.1");
  }
  std::string far;
  for (const auto& a : *addrs) {
    if (!IsLoopbackIp(a)) far += (far.empty() ? "" : ", ") + a;
  }
  if (loopback) *loopback = far.empty();
  if (far.empty() || have_api_key) return Status::Ok();
  const bool numeric = addrs->size() == 1 && (*addrs)[0] == bind;
  return Status::InvalidArgument(variable + "='" + Printable(bind) + "' is not a loopback address" +
                                 (numeric ? std::string() : " (it resolves to " + far + ")") +
                                 ": set IB_STREAM_API_KEY (every endpoint but /health then needs the X-API-Key "
                                 "header) or bind to 127.0.0.1");
}

}  // namespace ibr::config
