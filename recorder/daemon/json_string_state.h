// JsonStringState: tells, byte by byte, whether JSON text is inside a string
// literal, so a scanner can act on structural bytes only (the SSE parser's
// whole-value check, the simulator server's separator rewrite). Plain value.
#pragma once

namespace ibr::daemon {

struct JsonStringState {
  bool in_string = false;
  bool escaped = false;

  // Feeds the next byte: true when it is structural (outside any string and
  // not a quote that opens or closes one).
  bool Structural(char c) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      return false;
    }
    if (c == '"') {
      in_string = true;
      return false;
    }
    return true;
  }
};

}  // namespace ibr::daemon
