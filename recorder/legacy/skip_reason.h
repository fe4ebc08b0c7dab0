// SkipReason: the report's name for a legacy record the v2 decoder did not
// accept. Two of the decoder's reasons are made more precise because the old
// data is known to have them (UPSTREAM.md "Known damage"): a contract id of 0
// (or "0") is contract_id_zero, not bad_contract_id; a mid_point tick whose
// mid_price/midpoint is absent or null is mid_point_without_value, not
// missing_field. Every other reason is the decoder's own code (unknown_type,
// unknown_tick_type, bad_timestamp, ...). Pure function.
#pragma once

#include <string>
#include <string_view>

#include "ingest/v2_decoder.h"

namespace ibr::legacy {

// `rejected` is a kReject result of decoding `line`.
std::string SkipReasonFor(const ingest::DecodeResult& rejected, std::string_view line);

}  // namespace ibr::legacy
