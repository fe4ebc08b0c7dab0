// Tick <-> StreamMessage bytes (the body of one frame), hand-encoded on the
// hot path. The bytes are exactly what protobuf's generated
// ib_stream::StreamMessage would parse: type="tick", stream_id, timestamp,
// tick_data (fields in the seed's numbering, unix_time = 17),
// arrival_sequence = 9 and, when asked, crc32c = 15 as the final 5 bytes.
// Envelope metadata is not stored (it only restates the tick). Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/tick.h"

namespace ibr::format {

enum class Checksum { kNone, kCrc32c };

// Appends the StreamMessage body for `tick` (no length prefix) to `out`.
void EncodeTickMessage(const Tick& tick, Checksum checksum, std::string& out);

enum class ChecksumPolicy {
  kRequire,   // open files: a body without a valid trailing CRC is corruption
  kIfPresent, // sealed files / imports: verify when present
};

// Decodes one frame body. Corruption when it does not parse, is not a tick,
// has a bad CRC, or breaks the policy. Unknown fields are skipped.
Result<Tick> DecodeTickMessage(std::string_view body, ChecksumPolicy policy);

// The same, into a caller-owned Tick that is reset first and whose strings
// keep their capacity (no allocation per tick in a decode loop once warm).
// On success, *payload_size (when given) is the length of the body without
// its trailing CRC field (body.size() when it has none).
Status DecodeTickMessageInto(std::string_view body, ChecksumPolicy policy, Tick& tick,
                             std::size_t* payload_size = nullptr);

// The same checks as DecodeTickMessageInto (it accepts exactly the same
// bodies, CRC included), but fills only the key: timestamp_us, arrival_seq,
// contract_id and tick_type; the tick's other fields are left as they were.
// For readers that pass stored bodies through (protobuf output, sealing).
Status DecodeTickKeyInto(std::string_view body, ChecksumPolicy policy, Tick& tick,
                         std::size_t* payload_size = nullptr);

// The body without its trailing CRC field, when it has one (for protobuf
// pass-through output, which carries no checksum).
std::string_view StripChecksum(std::string_view body);

}  // namespace ibr::format
