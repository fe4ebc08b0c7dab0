// V3ProtobufReader: {storage}/v3/protobuf/YYYY/MM/DD/HH/{cid}_{tt}_{hour}.pb —
// ib_stream.v3.TickMessage frames (ts=1 st=2 cid=3 tt=4 rid=5, doubles
// p..mp = 10..16, bools bpl aph upt = 20..22) with a 4-byte BIG-endian length,
// no header. Decoded by hand (the message is not in our .proto) into the v3
// flat record, then rewritten as a v2 message (V3Record). proto3 implicit
// presence: an absent ts/st/cid is 0 and an absent tt is "". Pure function.
#pragma once

#include <string_view>

#include "legacy/legacy_record.h"

namespace ibr::legacy {

void ReadV3ProtobufFile(std::string_view content, const RecordFn& on_record);

}  // namespace ibr::legacy
