// Test helpers for query/: ISO time literals and tick builders. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "common/tick.h"
#include "common/time_text.h"

namespace ibr::query::testing {

// "2025-03-10T13:30:00Z" -> TimeUs; fails the test on a typo.
inline TimeUs T(std::string_view iso) {
  auto t = ParseIsoTimestamp(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(0);
}

// A tick of the test contract (265598) with its stream id; fields per type are the caller's.
inline Tick TestTick(TickType type, TimeUs ts, std::uint64_t seq) {
  Tick t;
  t.timestamp_us = ts;
  t.arrival_seq = seq;
  t.contract_id = 265598;
  t.tick_type = type;
  t.stream_id = "bg_265598_" + std::string(TickTypeName(type));
  return t;
}

inline Tick BidAsk(TimeUs ts, std::uint64_t seq, double bid = 229.95) {
  Tick t = TestTick(TickType::kBidAsk, ts, seq);
  t.bid_price = bid;
  t.bid_size = 8.0;
  t.ask_price = bid + 0.02;
  t.ask_size = 3.0;
  return t;
}

inline Tick Last(TimeUs ts, std::uint64_t seq, double price = 230.0) {
  Tick t = TestTick(TickType::kLast, ts, seq);
  t.price = price;
  t.size = 100.0;
  t.exchange = "NASDAQ";
  return t;
}

}  // namespace ibr::query::testing
