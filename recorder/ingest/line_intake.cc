// LineIntake: the line rule and the decoder; BodyLines: LineReader's splitting over memory.
#include "ingest/line_intake.h"

namespace ibr::ingest {
namespace {

constexpr std::size_t kBodyTooLongKeep = 1024;

bool IsBlankBodyLine(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

bool BodyLines::Next(Line* line) {
  while (!rest_.empty()) {
    const std::size_t nl = rest_.find('\n');
    std::string_view text = rest_.substr(0, nl);
    rest_.remove_prefix(nl == std::string_view::npos ? rest_.size() : nl + 1);
    ++number_;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (IsBlankBodyLine(text)) continue;
    if (text.size() > kMaxLineBytes) {
      *line = Line{number_, text.substr(0, kBodyTooLongKeep), true};
      return true;
    }
    *line = Line{number_, text, false};
    return true;
  }
  return false;
}

void LineIntake::Decode(const Line& line, TimeUs now, bool padded, DecodeResult& out) {
  if (line.too_long || line.text.size() > kMaxLineBytes) {
    out.kind = DecodeResult::Kind::kReject;
    out.reason = RejectReason::kLineTooLong;
    out.detail.assign(kLineTooLongDetail);
    return;
  }
  decoder_.Decode(line.text, now, padded, out);
}

void LineIntake::Decode(std::string_view text, TimeUs now, DecodeResult& out) {
  Decode(Line{0, text, text.size() > kMaxLineBytes}, now, false, out);
}

}  // namespace ibr::ingest
