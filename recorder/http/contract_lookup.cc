// ContractLookup: configuration first, then the catalog.
#include "http/contract_lookup.h"

#include <string>

namespace ibr::http {

std::optional<daemon::TrackedContract> FindTracked(const daemon::RecorderConfig& config, std::uint32_t contract_id) {
  for (const auto& c : config.tracked) {
    if (c.contract_id == contract_id) return c;
  }
  return std::nullopt;
}

Result<ContractLookup> LookupContract(const daemon::RecorderConfig& config, catalog::Catalog* cat,
                                      std::uint32_t contract_id) {
  ContractLookup out;
  out.contract_id = contract_id;
  out.tracked = FindTracked(config, contract_id);
  if (cat != nullptr) {
    auto stats = cat->ListDailyStats(contract_id);
    if (!stats.ok()) return stats.status().WithContext("reading the catalog");
    out.has_files = !stats->empty();
  }
  if (!out.tracked && !out.has_files) {
    return Status::NotFound("unknown contract " + std::to_string(contract_id) +
                            ": not tracked by this recorder and no files stored for it");
  }
  return out;
}

}  // namespace ibr::http
