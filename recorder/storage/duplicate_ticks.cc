// DuplicateTicks: ticks stored twice within one hour.
#include "storage/duplicate_ticks.h"

#include <functional>
#include <string>

#include "format/tick_codec.h"

namespace ibr::storage {

std::uint64_t DuplicateTicks::Count(const FileKey& key, const std::vector<Tick>& ticks) {
  // Copies are found within one hour of one contract and tick type (all its parts).
  const auto group = std::make_tuple(std::get<0>(key), std::get<1>(key), std::get<2>(key));
  if (!group_ || *group_ != group) {
    group_ = group;
    seen_.clear();
  }
  std::uint64_t copies = 0;
  std::string scratch;
  for (const Tick& t : ticks) {
    // Without the upstream's sequence two equal ticks may be genuine repeats
    // (a trade printed twice, an unchanged midpoint): only sequenced ticks are judged.
    if (!t.sequence) continue;
    Tick same = t;
    same.arrival_seq = 0;  // identity: contract, tick type, timestamp, sequence and every value
    scratch.clear();
    format::EncodeTickMessage(same, format::Checksum::kNone, scratch);
    if (!seen_.insert(std::hash<std::string>{}(scratch)).second) ++copies;
  }
  return copies;
}

}  // namespace ibr::storage
