// FileStats accumulation.
#include "storage/file_stats.h"

#include <algorithm>

namespace ibr::storage {

std::optional<double> TickPrice(const Tick& t) {
  switch (t.tick_type) {
    case TickType::kLast:
    case TickType::kAllLast:
      return t.price;
    case TickType::kMidPoint:
      return t.mid_price;
    case TickType::kBidAsk:
      if (t.bid_price && t.ask_price && *t.bid_price > 0 && *t.ask_price > 0) {
        return (*t.bid_price + *t.ask_price) / 2;
      }
      return std::nullopt;
  }
  return std::nullopt;
}

void FileStats::Add(const Tick& t) {
  if (count == 0) {
    start_time = end_time = t.timestamp_us;
  } else {
    start_time = std::min(start_time, t.timestamp_us);
    end_time = std::max(end_time, t.timestamp_us);
  }
  ++count;
  auto seq = static_cast<std::int64_t>(t.arrival_seq);
  if (!first_sequence || seq < *first_sequence) first_sequence = seq;
  if (!last_sequence || seq > *last_sequence) last_sequence = seq;
  if (auto p = TickPrice(t)) {
    min_price = min_price ? std::min(*min_price, *p) : *p;
    max_price = max_price ? std::max(*max_price, *p) : *p;
    price_sum += *p;
    ++price_count;
  }
  if ((t.tick_type == TickType::kLast || t.tick_type == TickType::kAllLast) && t.size && t.price) {
    volume += *t.size;
    notional += *t.size * *t.price;
    has_volume = true;
  }
}

void FileStats::FillRow(catalog::TickFileRow& row) const {
  row.message_count = count;
  row.start_time = start_time;
  row.end_time = end_time;
  row.first_sequence = first_sequence;
  row.last_sequence = last_sequence;
  row.min_price = min_price;
  row.max_price = max_price;
  row.price_count = price_count;
  row.price_sum = price_count > 0 ? std::optional<double>(price_sum) : std::nullopt;
  row.total_volume = has_volume ? std::optional<double>(volume) : std::nullopt;
  row.notional = has_volume ? std::optional<double>(notional) : std::nullopt;
}

}  // namespace ibr::storage
