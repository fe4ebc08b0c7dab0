// ContractLookup: is a contract known to this recorder — tracked by its
// configuration, or present in the files (catalog daily stats)? Unknown ones
// get 404; known-but-untracked ones are answered with tracked:false.
// Pure over its arguments; the catalog is the caller's (one thread).
#pragma once

#include <cstdint>
#include <optional>

#include "catalog/catalog.h"
#include "common/status.h"
#include "daemon/recorder_config.h"

namespace ibr::http {

struct ContractLookup {
  std::uint32_t contract_id = 0;
  std::optional<daemon::TrackedContract> tracked;  // its configuration when tracked
  bool has_files = false;
};

// The tracked entry for `contract_id`, if any.
std::optional<daemon::TrackedContract> FindTracked(const daemon::RecorderConfig& config, std::uint32_t contract_id);
// NotFound (404) when the contract is neither tracked nor has any files.
Result<ContractLookup> LookupContract(const daemon::RecorderConfig& config, catalog::Catalog* cat,
                                      std::uint32_t contract_id);

}  // namespace ibr::http
