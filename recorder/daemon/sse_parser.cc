// SseParser: line splitting across chunks, the SSE field rules, and the
// ib-stream framing (a new `event:` line ends the pending event).
#include "daemon/sse_parser.h"

#include "daemon/json_string_state.h"

namespace ibr::daemon {
namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

void SseParser::Feed(std::string_view bytes, const Sink& sink) {
  const char* p = bytes.data();
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  if (skip_lf_ && n > 0) {  // "\r" ended the last chunk: a "\n" here belongs to it
    skip_lf_ = false;
    if (p[0] == '\n') i = 1;
  }
  while (i < n) {
    std::size_t j = i;
    while (j < n && p[j] != '\n' && p[j] != '\r') ++j;
    const bool complete = j < n;
    const std::string_view piece(p + i, j - i);
    if (discarding_) {
      // the rest of an oversize line: skipped
    } else if (line_.empty()) {
      if (piece.size() > max_bytes_) {
        OnOversizeLine(piece, sink);
        discarding_ = !complete;
      } else if (complete) {
        OnLine(piece, sink);  // the common case: no copy
      } else {
        line_.assign(piece);
      }
    } else if (line_.size() + piece.size() > max_bytes_) {
      OnOversizeLine(line_, sink);
      line_.clear();
      discarding_ = !complete;
    } else {
      line_.append(piece);
      if (complete) {
        OnLine(line_, sink);
        line_.clear();
      }
    }
    if (!complete) break;
    discarding_ = false;
    if (p[j] == '\r') {
      if (j + 1 < n) {
        if (p[j + 1] == '\n') ++j;
      } else {
        skip_lf_ = true;
      }
    }
    i = j + 1;
  }
}

void SseParser::OnLine(std::string_view line, const Sink& sink) {
  if (line.empty()) {
    EndEvent(sink);
    return;
  }
  if (line[0] == ':') return;  // comment
  const std::size_t colon = line.find(':');
  const std::string_view field = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  if (!value.empty() && value[0] == ' ') value.remove_prefix(1);

  if (field == "data") {
    if (poisoned_) return;
    const std::size_t add = value.size() + (has_data_ ? 1 : 0);
    if (event_.data.size() + add > max_bytes_) {
      poisoned_ = true;
      event_.data.clear();
      return;
    }
    if (has_data_) event_.data.push_back('\n');
    event_.data.append(value);
    has_data_ = true;
  } else if (field == "event") {
    if (has_data_ || poisoned_) EndEvent(sink);  // the ib-stream framing
    event_.event.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
  }
  // "retry" and unknown fields: ignored (reconnection follows our own backoff)
}

void SseParser::OnOversizeLine(std::string_view head, const Sink& sink) {
  if (!head.empty() && head[0] == ':') return;  // an oversize comment drops nothing
  if (StartsWith(head, "event:")) {
    if (has_data_ || poisoned_) EndEvent(sink);
  }
  poisoned_ = true;
  event_.data.clear();
}

void SseParser::EndEvent(const Sink& sink) {
  if (poisoned_) {
    ++oversize_;
  } else if (has_data_) {
    if (event_.event.empty()) event_.event = "message";
    event_.id = last_id_;
    ++events_;
    sink(event_);
  }
  ClearEvent();
}

void SseParser::ClearEvent() {
  event_.event.clear();
  event_.data.clear();
  has_data_ = false;
  poisoned_ = false;
}

void SseParser::DispatchIfWholeJson(const Sink& sink) {
  if (line_.empty() && !discarding_ && has_data_ && !poisoned_ && IsWholeJson(event_.data)) EndEvent(sink);
}

void SseParser::Finish(const Sink& sink) {
  if (discarding_ || line_.empty()) {
    EndEvent(sink);  // whole, or poisoned by the oversize line (then dropped)
  } else if (line_[0] == ':' || StartsWith(line_, "event:")) {
    EndEvent(sink);  // the cut line was not part of the pending event
  } else {
    if (poisoned_) {
      ++oversize_;
    } else if (has_data_) {
      ++truncated_;
    }
    ClearEvent();
  }
  line_.clear();
  discarding_ = false;
  skip_lf_ = false;
}

void SseParser::Reset() {
  line_.clear();
  discarding_ = false;
  skip_lf_ = false;
  ClearEvent();
}

bool IsWholeJson(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n && IsJsonSpace(text[i])) ++i;
  if (i == n || (text[i] != '{' && text[i] != '[')) return false;
  int depth = 0;
  JsonStringState strings;
  for (; i < n; ++i) {
    const char c = text[i];
    if (!strings.Structural(c)) continue;
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) {
        ++i;
        break;
      }
    }
  }
  if (depth != 0) return false;
  while (i < n && IsJsonSpace(text[i])) ++i;
  return i == n;
}

}  // namespace ibr::daemon
