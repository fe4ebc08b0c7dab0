// Tracked contracts (IB_STREAM_TRACKED_CONTRACTS): the list a recorder
// records, parsed and validated in one place. Pure functions, any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/tick.h"

namespace ibr::config {

struct TrackedContract {
  std::uint32_t contract_id = 0;
  std::string symbol;
  std::vector<TickType> tick_types;  // default bid_ask,last
  int buffer_hours = 1;
};

// "711280073:MNQ:bid_ask;last:24,265598:AAPL" -> tracked contracts. Items are
// separated by ',', fields by ':' (id:symbol[:tick;types[:buffer_hours]]);
// tick types by ';' (default bid_ask;last), buffer hours default 1. An empty
// text means none. A symbol is at most 64 characters of UTF-8 without control
// characters. Errors name `variable` and say which item is wrong and what is expected.
Result<std::vector<TrackedContract>> ParseTrackedContracts(std::string_view text,
                                                          const std::string& variable = "IB_STREAM_TRACKED_CONTRACTS");

}  // namespace ibr::config
