// FileStats: running statistics of one tick file (count, first/last time and
// arrival sequence, prices, volume, notional), kept by the writer as ticks are
// appended and recomputed by recovery from the ticks a file really holds, so
// the catalog row says the same either way. Plain value type.
#pragma once

#include <cstdint>
#include <optional>

#include "catalog/catalog_rows.h"
#include "common/tick.h"

namespace ibr::storage {

// The price a tick contributes to min/max/avg: trade price, mid price, or the
// bid/ask midpoint (when both sides are positive).
std::optional<double> TickPrice(const Tick& t);

struct FileStats {
  std::int64_t count = 0;
  TimeUs start_time = 0, end_time = 0;
  std::optional<std::int64_t> first_sequence, last_sequence;
  std::optional<double> min_price, max_price;
  double price_sum = 0;
  std::int64_t price_count = 0;
  double volume = 0, notional = 0;
  bool has_volume = false;

  void Add(const Tick& t);
  // Copies the statistics into a catalog row (leaves identity/path/status alone).
  void FillRow(catalog::TickFileRow& row) const;
};

}  // namespace ibr::storage
