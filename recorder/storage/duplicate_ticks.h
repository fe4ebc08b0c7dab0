// DuplicateTicks: finds ticks stored twice (the same contract, tick type,
// timestamp, upstream sequence and values; only the arrival sequence differs)
// within one hour of one contract and tick type, across its parts. Files must
// be fed in FileKey order. One instance per StoreCheck run; one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "common/tick.h"
#include "storage/tick_file_walk.h"

namespace ibr::storage {

class DuplicateTicks {
 public:
  // How many of `ticks` (one file of `key`) copy a tick seen before in the same hour.
  std::uint64_t Count(const FileKey& key, const std::vector<Tick>& ticks);

 private:
  std::optional<std::tuple<std::uint32_t, TickType, TimeUs>> group_;
  std::unordered_set<std::size_t> seen_;
};

}  // namespace ibr::storage
