// Contract list text: split on ',', each a whole number in range.
#include "migration/contract_list.h"

#include <algorithm>
#include <string>

namespace ibr::migration {

Result<std::vector<std::uint32_t>> ParseContractIds(std::string_view text) {
  std::vector<std::uint32_t> out;
  if (text.empty()) return out;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string_view item = text.substr(at, comma - at);
    std::uint64_t v = 0;
    bool good = !item.empty() && item.size() <= 10;
    for (char c : item) {
      good = good && c >= '0' && c <= '9';
      if (good) v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (!good || v == 0 || v > 4294967295ULL) {
      return Status::InvalidArgument("--contracts: '" + std::string(item) +
                                     "' is not a contract id (a whole number from 1 to 4294967295; list them as ID,ID)");
    }
    if (std::find(out.begin(), out.end(), static_cast<std::uint32_t>(v)) == out.end()) {
      out.push_back(static_cast<std::uint32_t>(v));
    }
    at = comma + 1;
  }
  return out;
}

}  // namespace ibr::migration
