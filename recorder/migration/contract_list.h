// Contract list text for `--contracts ID,...` of migrate / validate-migration:
// IB contract ids 1..4294967295, comma separated. Pure function; any thread.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ibr::migration {

// "" gives an empty list (every contract). InvalidArgument naming the bad item.
Result<std::vector<std::uint32_t>> ParseContractIds(std::string_view text);

}  // namespace ibr::migration
