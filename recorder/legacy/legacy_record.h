// LegacyRecord: one record found in a file the Python ib-stream wrote, as a
// legacy reader hands it to the importer: either a v2 NDJSON message to be
// validated by the v2 decoder (the same rules as `ingest`), or a record the
// reader could not turn into one (torn, undecodable), with its reason.
// Plain value; readers call a RecordFn once per record, in file order.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace ibr::legacy {

struct LegacyRecord {
  std::uint64_t index = 0;  // 1-based line number (JSON) or frame number (protobuf) in its file
  bool skipped = false;     // true: `reason` says why no message could be made of it
  std::string line;         // !skipped: one v2 message (JSON object text, no newline)
  std::string reason;       // skipped: torn_record, bad_frame_length, bad_protobuf
  std::string detail;       // skipped: short human text
  std::string_view input;   // the record's bytes in the file (for the quarantine)
  bool binary = false;      // input is protobuf bytes (quarantined as hex)
};

using RecordFn = std::function<void(const LegacyRecord&)>;

}  // namespace ibr::legacy
