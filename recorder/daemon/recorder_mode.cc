// RecorderMode: names.
#include "daemon/recorder_mode.h"

namespace ibr::daemon {

std::string_view ModeName(RecorderMode mode) {
  switch (mode) {
    case RecorderMode::kRecording: return "recording";
    case RecorderMode::kIsolated: return "isolated";
    case RecorderMode::kPassthrough: return "passthrough";
    case RecorderMode::kReadOnly: return "read-only";
  }
  return "recording";
}

std::optional<RecorderMode> ParseMode(std::string_view text) {
  for (RecorderMode m : {RecorderMode::kRecording, RecorderMode::kIsolated, RecorderMode::kPassthrough,
                         RecorderMode::kReadOnly}) {
    if (text == ModeName(m)) return m;
  }
  return std::nullopt;
}

}  // namespace ibr::daemon
