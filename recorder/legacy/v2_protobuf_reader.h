// V2ProtobufReader: {storage}/[v2/]protobuf/YYYY/MM/DD/HH/{stream_id}.pb —
// ib_stream.StreamMessage frames with a 4-byte LITTLE-endian length, no
// header. Each frame is rewritten as the v2 JSON message it was made from
// (ib-stream's _json_to_protobuf in reverse): TickData fields by name,
// contract_id 0 / tick_type "" give way to metadata (proto3 cannot tell them
// from unset; storage-bound messages carry both in metadata, as strings),
// metadata copied (its "sequence" string as a number). Pure function.
#pragma once

#include <string_view>

#include "legacy/legacy_record.h"

namespace ibr::legacy {

void ReadV2ProtobufFile(std::string_view content, const RecordFn& on_record);

}  // namespace ibr::legacy
