// Tick: one validated market-data tick, normalised to v2 spelling.
//
// This is the value that flows from the decoder (ingest/) through the writer
// (storage/) to queries (query/). Optional fields are present only when the
// input had them. Plain value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace ibr {

enum class TickType : std::uint8_t { kBidAsk = 0, kLast = 1, kAllLast = 2, kMidPoint = 3 };
constexpr int kTickTypeCount = 4;

// "bid_ask", "last", "all_last", "mid_point".
std::string_view TickTypeName(TickType t);
// Accepts the v2 spelling only (what users type on the command line and in URLs).
std::optional<TickType> ParseTickTypeName(std::string_view s);
// Parses "bid_ask,last" (v2 spellings, comma separated, no duplicates kept).
std::optional<std::vector<TickType>> ParseTickTypeList(std::string_view s);

struct Tick {
  TimeUs timestamp_us = 0;        // envelope receipt time, UTC
  std::uint64_t arrival_seq = 0;  // per-instance arrival order; 0 = not yet assigned
  std::uint32_t contract_id = 0;  // 1..4294967295
  TickType tick_type = TickType::kBidAsk;
  std::string stream_id;

  std::optional<double> price, size;                            // last / all_last
  std::optional<double> bid_price, bid_size, ask_price, ask_size;  // bid_ask
  std::optional<double> mid_price;                              // mid_point
  std::optional<std::string> exchange;
  std::vector<std::string> conditions;
  std::optional<std::uint64_t> sequence;                        // upstream's sequence
  std::optional<std::int64_t> unix_time;                        // IB's time, seconds
  std::optional<bool> past_limit, unreported, bid_past_low, ask_past_high;

  bool operator==(const Tick&) const = default;
};

}  // namespace ibr
