// RecorderMode: the four ways `ib-recorder run` serves (seed 003's development modes):
// recording (the default), isolated (recording into its own root under its own instance
// name), passthrough (relays an upstream's live SSE, writes nothing) and read-only (serves
// an existing root beside its writer). Resolved once at start-up; plain values, any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ibr::daemon {

enum class RecorderMode { kRecording, kIsolated, kPassthrough, kReadOnly };

// "recording", "isolated", "passthrough", "read-only" (the IB_STREAM_MODE values).
std::string_view ModeName(RecorderMode mode);
std::optional<RecorderMode> ParseMode(std::string_view text);
// True for the modes that write storage (and hold its lock).
inline bool ModeWrites(RecorderMode mode) { return mode == RecorderMode::kRecording || mode == RecorderMode::kIsolated; }

}  // namespace ibr::daemon
