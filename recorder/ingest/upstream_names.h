// Upstream names: how the v2 spec and the real IB-Stream server spell tick
// types ("bid_ask", "Last", "AllLast", "midpoint", ...) and contract ids, and
// the two stream id forms ({cid}_{tt}_{ms}_{rand}, bg_{cid}_{tt}).
// Pure functions; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/tick.h"

namespace ibr::ingest {

// Any spelling the upstream uses, case-insensitive, '_' ignored: "bid_ask",
// "BidAsk", "last", "Last", "all_last", "AllLast", "mid_point", "MidPoint",
// "midpoint". Not "time_sales" (ambiguous between last and all_last).
std::optional<TickType> ParseUpstreamTickType(std::string_view s);

// "1".."4294967295" as plain decimal digits (leading zeros allowed); anything
// else, 0 included, is nullopt.
std::optional<std::uint32_t> ParseContractIdDigits(std::string_view s);

struct StreamIdParts {
  std::optional<std::uint32_t> contract_id;
  std::optional<TickType> tick_type;
};
// Client form "{cid}_{tick_type}_{epoch_ms}_{rand}" or background form
// "bg_{cid}_{tick_type}" (tick type in v2 spelling); other ids give no parts.
StreamIdParts ParseStreamId(std::string_view stream_id);

}  // namespace ibr::ingest
