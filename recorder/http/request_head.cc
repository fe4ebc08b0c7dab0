// RequestHead: an incremental check of the request line and header lines.
#include "http/request_head.h"

#include <cctype>
#include <optional>

namespace ibr::http {
namespace {

constexpr std::size_t kMaxTargetBytes = 8192;  // as cpp-httplib's CPPHTTPLIB_REQUEST_URI_MAX_LENGTH

RequestHead BadHead(int status, std::string error) {
  RequestHead h;
  h.state = RequestHead::State::kBad;
  h.status = status;
  h.error = std::move(error);
  return h;
}

bool IsTokenChar(unsigned char c) {
  return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// Bytes that may appear in a request line: visible ASCII and the spaces between its parts.
bool RequestLineChar(unsigned char c) { return c >= 0x20 && c < 0x7f; }
// Header values may carry obs-text (>= 0x80) and tabs, never other control bytes.
bool HeaderChar(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

std::string Printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 40)) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      static const char* kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return s.size() > 40 ? out + "..." : out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Checks the (possibly incomplete) first line; fills method/target when complete.
std::optional<RequestHead> CheckRequestLine(std::string_view line, bool complete, RequestHead& head) {
  for (unsigned char c : line) {
    if (!RequestLineChar(c)) {
      return BadHead(400, "this is not an HTTP request: the request line holds byte 0x" +
                          std::string(1, "0123456789abcdef"[c >> 4]) + "0123456789abcdef"[c & 15] + " (\"" +
                          Printable(line) + "\"); send \"METHOD /path HTTP/1.1\"");
    }
  }
  if (line.size() > kMaxTargetBytes + 32) return BadHead(414, "request target longer than 8192 bytes");
  std::size_t m = 0;
  while (m < line.size() && line[m] >= 'A' && line[m] <= 'Z') ++m;
  if ((m < line.size() && line[m] != ' ') || (m == 0 && !line.empty()) || m > 20) {
    return BadHead(400, "bad request line \"" + Printable(line) + "\": expected \"METHOD /path HTTP/1.1\"");
  }
  if (!complete) return std::nullopt;
  const std::size_t t0 = m + 1;
  const std::size_t sp = line.find(' ', t0);
  if (m == 0 || sp == std::string_view::npos || sp == t0) {
    return BadHead(400, "bad request line \"" + Printable(line) + "\": expected \"METHOD /path HTTP/1.1\"");
  }
  const std::string_view version = line.substr(sp + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return BadHead(400, "bad request line \"" + Printable(line) + "\": the version must be HTTP/1.1 or HTTP/1.0");
  }
  if (sp - t0 > kMaxTargetBytes) return BadHead(414, "request target longer than 8192 bytes");
  head.method = std::string(line.substr(0, m));
  head.target = std::string(line.substr(t0, sp - t0));
  return std::nullopt;
}

struct BodyHeaders {
  std::optional<std::uint64_t> content_length;
  bool chunked = false;
};

std::optional<RequestHead> CheckHeaderLine(std::string_view line, bool complete, std::uint64_t max_body,
                                           BodyHeaders& body) {
  for (unsigned char c : line) {
    if (!HeaderChar(c)) return BadHead(400, "a header line holds a control byte: \"" + Printable(line) + "\"");
  }
  if (!complete) return std::nullopt;
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return BadHead(400, "bad header line \"" + Printable(line) + "\": expected \"Name: value\"");
  }
  for (unsigned char c : line.substr(0, colon)) {
    if (!IsTokenChar(c)) return BadHead(400, "bad header name in \"" + Printable(line) + "\"");
  }
  const std::string name = Lower(line.substr(0, colon));
  const std::string_view value = Trim(line.substr(colon + 1));
  if (name == "content-length") {
    if (value.empty() || value.size() > 19 ||
        value.find_first_not_of("0123456789") != std::string_view::npos) {
      return BadHead(400, "bad Content-Length \"" + Printable(value) + "\": it must be a non-negative byte count");
    }
    const std::uint64_t n = std::stoull(std::string(value));
    if (body.content_length && *body.content_length != n) return BadHead(400, "two different Content-Length headers");
    body.content_length = n;
    if (n > max_body) {
      return BadHead(413, "request body larger than " + std::to_string(max_body) +
                          " bytes (the ingest limit): split it into smaller batches");
    }
  } else if (name == "transfer-encoding") {
    if (Lower(value) != "chunked") {
      return BadHead(400, "unsupported Transfer-Encoding \"" + Printable(value) + "\": send Content-Length or chunked");
    }
    body.chunked = true;
  }
  return std::nullopt;
}

}  // namespace

RequestHead CheckRequestHead(std::string_view bytes, std::uint64_t max_body_bytes, std::size_t max_head_bytes) {
  RequestHead head;
  BodyHeaders body;
  std::size_t pos = 0;
  bool first = true;
  while (true) {
    const std::size_t nl = bytes.find('\n', pos);
    const bool complete = nl != std::string_view::npos;
    std::string_view line = bytes.substr(pos, complete ? nl - pos : std::string_view::npos);
    if (!complete && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (complete && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t end = complete ? nl + 1 : bytes.size();
    if (end > max_head_bytes) {
      return BadHead(431, "request head larger than " + std::to_string(max_head_bytes) + " bytes");
    }
    if (first) {
      if (auto bad = CheckRequestLine(line, complete, head)) return *bad;
      first = false;
    } else if (complete && line.empty()) {
      if (body.chunked && body.content_length) return BadHead(400, "both Content-Length and Transfer-Encoding sent");
      head.state = RequestHead::State::kComplete;
      head.size = end;
      return head;
    } else if (auto bad = CheckHeaderLine(line, complete, max_body_bytes, body)) {
      return *bad;
    }
    if (!complete) return head;  // kIncomplete, nothing wrong so far
    pos = end;
  }
}

}  // namespace ibr::http
