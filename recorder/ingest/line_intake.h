// LineIntake: the one step from a raw NDJSON line to a decoded result, shared by every intake
// (HTTP POST batches, `ib-recorder ingest`, the SSE sources, the simulator): the 64 KiB line
// rule (one reason, one message), the decoder, and BodyLines, which splits an in-memory body
// exactly as LineReader splits a file. One LineIntake per thread (it owns a decoder).
#pragma once

#include <cstdint>
#include <string_view>

#include "ingest/line_reader.h"
#include "ingest/v2_decoder.h"

namespace ibr::ingest {

// The reject detail of every line over kMaxLineBytes, whichever path it came in by.
inline constexpr std::string_view kLineTooLongDetail = "line longer than 64 KiB (65536 bytes)";

// Splits a body held in memory into lines like LineReader: 1-based numbers,
// blank lines skipped (but counted), a trailing '\r' dropped, lines over
// kMaxLineBytes returned too_long holding their first 1 KiB. Lines are views
// into the body (not padded).
class BodyLines {
 public:
  explicit BodyLines(std::string_view body) : rest_(body) {}
  bool Next(Line* line);

 private:
  std::string_view rest_;
  std::uint64_t number_ = 0;
};

class LineIntake {
 public:
  // Decodes one line into `out` (strings reused). A too_long line is a
  // kLineTooLong reject without being parsed. `padded`: kLinePadding readable
  // bytes follow line.text (LineReader's lines; saves a copy).
  void Decode(const Line& line, TimeUs now, bool padded, DecodeResult& out);
  // A line that is not split yet (an SSE event's data, a simulator line).
  void Decode(std::string_view text, TimeUs now, DecodeResult& out);

 private:
  V2Decoder decoder_;
};

}  // namespace ibr::ingest
