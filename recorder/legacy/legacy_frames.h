// LegacyFrames: splits a length-prefixed protobuf file of the Python
// ib-stream into frame bodies. v2 files use a 4-byte LITTLE-endian length,
// v3 files a 4-byte BIG-endian one; neither has a header. A length that
// runs past the end of the file is a torn record (the writer died mid-frame),
// a length above 16 MiB is garbage: both end the file (nothing after them can
// be framed again) and are reported as one skipped record. Pure function.
#pragma once

#include <string_view>

#include "legacy/legacy_record.h"

namespace ibr::legacy {

enum class LengthOrder { kLittleEndian, kBigEndian };

// Calls `on_frame(record)` for each whole frame (a LegacyRecord with index,
// input = the frame's body and binary set, for the reader to finish) and
// `on_stop` (a skipped record) at most once, for the bytes that could not be framed.
void SplitLegacyFrames(std::string_view file, LengthOrder order, const std::function<void(LegacyRecord&)>& on_frame,
                       const RecordFn& on_stop);

}  // namespace ibr::legacy
