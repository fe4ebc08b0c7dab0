// V3Record: one v3 flat record ({"ts","st","cid","tt","rid", p s bp bs ap as
// mp bpl aph upt}) rewritten as the v2 message it stands for, so the v2
// decoder validates it like any other input:
//   timestamp <- st (system receipt time, microseconds; what v2 calls the
//   envelope timestamp), data.contract_id <- cid, data.tick_type <- tt,
//   price size bid_price bid_size ask_price ask_size mid_price <- p s bp bs ap
//   as mp, bid_past_low ask_past_high unreported <- bpl aph upt,
//   data.unix_time <- ts / 1e6 only when ts is whole seconds (IB's own time;
//   a ts with a fraction is ib-stream's fallback to system time: IB's time is
//   unknown and is left out). rid is not kept. Values are copied as they are
//   (a string price stays a string and is rejected as not_numeric). Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace ibr::legacy {

std::string V3ObjectToV2Line(const nlohmann::json& v3);

}  // namespace ibr::legacy
