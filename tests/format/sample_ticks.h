// Test helpers for format/: sample ticks of every tick type with optional
// fields absent or present, open and sealed file bytes made of them, and Tick <-> generated ib_stream::StreamMessage
// conversions so tests can cross-check the hand-written codec against
// protobuf's own. Test-only; single-threaded.
#pragma once

#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/tick.h"
#include "format/file_header.h"
#include "format/frame.h"
#include "format/lz4_frame.h"
#include "format/tick_codec.h"
#include "format/tick_file.h"
#include "tick_stream.pb.h"

namespace ibr {

// Readable GoogleTest failure messages for Tick (found by argument-dependent lookup).
inline void PrintTo(const Tick& t, std::ostream* os) {
  auto opt = [os](const char* name, const auto& v) {
    if (v) *os << " " << name << "=" << *v;
  };
  *os << "{ts=" << t.timestamp_us << " arrival=" << t.arrival_seq << " cid=" << t.contract_id
      << " type=" << TickTypeName(t.tick_type) << " stream=" << t.stream_id;
  opt("price", t.price);
  opt("size", t.size);
  opt("bid_price", t.bid_price);
  opt("bid_size", t.bid_size);
  opt("ask_price", t.ask_price);
  opt("ask_size", t.ask_size);
  opt("mid_price", t.mid_price);
  opt("exchange", t.exchange);
  *os << " conditions=[";
  for (const auto& c : t.conditions) *os << c << "|";
  *os << "]";
  opt("sequence", t.sequence);
  opt("unix_time", t.unix_time);
  opt("past_limit", t.past_limit);
  opt("unreported", t.unreported);
  opt("bid_past_low", t.bid_past_low);
  opt("ask_past_high", t.ask_past_high);
  *os << "}";
}

}  // namespace ibr

namespace ibr::format::testing {

constexpr TimeUs kSomeTime = 1'754'010'291'911'004;  // 2025-08-01T01:04:51.911004Z

// Only what the tick type requires.
inline Tick MinimalTick(TickType type) {
  Tick t;
  t.timestamp_us = kSomeTime;
  t.contract_id = 711280073;
  t.tick_type = type;
  t.stream_id = "bg_711280073_" + std::string(TickTypeName(type));
  switch (type) {
    case TickType::kBidAsk:
      t.bid_price = 23260.0;
      t.bid_size = 4.0;
      t.ask_price = 23260.5;
      t.ask_size = 2.0;
      break;
    case TickType::kLast:
    case TickType::kAllLast:
      t.price = 23261.0;
      t.size = 10.0;
      break;
    case TickType::kMidPoint: t.mid_price = 23260.25; break;
  }
  return t;
}

// Every field set, including the ones that do not belong to the type.
inline Tick FullTick(TickType type) {
  Tick t = MinimalTick(type);
  t.arrival_seq = 1234567890123ull;
  t.price = 23261.0;
  t.size = 10.0;
  t.bid_price = 23260.0;
  t.bid_size = 4.0;
  t.ask_price = 23260.5;
  t.ask_size = 2.0;
  t.mid_price = 23260.25;
  t.exchange = "CME";
  t.conditions = {"", "I", "odd lot"};
  t.sequence = 987654321;
  t.unix_time = 1754010291;
  t.past_limit = false;
  t.unreported = true;
  t.bid_past_low = false;
  t.ask_past_high = true;
  return t;
}

inline std::vector<Tick> AllSampleTicks() {
  std::vector<Tick> v;
  for (int i = 0; i < kTickTypeCount; ++i) {
    const auto type = static_cast<TickType>(i);
    v.push_back(MinimalTick(type));
    v.push_back(FullTick(type));
  }
  return v;
}

// A realistic bid_ask quote stream: random walk on a 0.25 tick, sizes 1..20,
// 1..50 ms apart, unix_time and arrival sequence set.
inline std::vector<Tick> RealisticQuotes(std::size_t n, std::uint32_t seed = 7) {
  std::mt19937 rng(seed);
  std::vector<Tick> v;
  v.reserve(n);
  TimeUs ts = kSomeTime;
  std::int64_t bid_ticks = 93040;  // 23260.00 / 0.25
  for (std::size_t i = 0; i < n; ++i) {
    Tick t;
    ts += 1000 * std::uniform_int_distribution<int>(1, 50)(rng) +
          std::uniform_int_distribution<int>(0, 999)(rng);
    t.timestamp_us = ts;
    t.arrival_seq = 1000 + i;
    t.contract_id = 711280073;
    t.tick_type = TickType::kBidAsk;
    t.stream_id = "bg_711280073_bid_ask";
    bid_ticks += std::uniform_int_distribution<int>(-1, 1)(rng);
    const int spread = std::uniform_int_distribution<int>(0, 9)(rng) < 8 ? 1 : 2;
    t.bid_price = bid_ticks * 0.25;
    t.ask_price = (bid_ticks + spread) * 0.25;
    t.bid_size = std::uniform_int_distribution<int>(1, 20)(rng);
    t.ask_size = std::uniform_int_distribution<int>(1, 20)(rng);
    t.unix_time = ts / kUsPerSecond;
    t.bid_past_low = false;
    t.ask_past_high = false;
    v.push_back(std::move(t));
  }
  return v;
}

inline ib_stream::StreamMessage ToProto(const Tick& t) {
  ib_stream::StreamMessage m;
  m.set_type("tick");
  m.set_stream_id(t.stream_id);
  std::int64_t s = t.timestamp_us / kUsPerSecond;
  std::int64_t us = t.timestamp_us % kUsPerSecond;
  if (us < 0) {
    us += kUsPerSecond;
    --s;
  }
  m.mutable_timestamp()->set_seconds(s);
  m.mutable_timestamp()->set_nanos(static_cast<std::int32_t>(us * 1000));
  auto* d = m.mutable_tick_data();
  d->set_contract_id(t.contract_id);
  d->set_tick_type(std::string(TickTypeName(t.tick_type)));
  if (t.price) d->set_price(*t.price);
  if (t.size) d->set_size(*t.size);
  if (t.bid_price) d->set_bid_price(*t.bid_price);
  if (t.bid_size) d->set_bid_size(*t.bid_size);
  if (t.ask_price) d->set_ask_price(*t.ask_price);
  if (t.ask_size) d->set_ask_size(*t.ask_size);
  if (t.mid_price) d->set_mid_price(*t.mid_price);
  if (t.exchange) d->set_exchange(*t.exchange);
  for (const auto& c : t.conditions) d->add_conditions(c);
  if (t.sequence) d->set_sequence(*t.sequence);
  if (t.past_limit) d->set_past_limit(*t.past_limit);
  if (t.unreported) d->set_unreported(*t.unreported);
  if (t.bid_past_low) d->set_bid_past_low(*t.bid_past_low);
  if (t.ask_past_high) d->set_ask_past_high(*t.ask_past_high);
  if (t.unix_time) d->set_unix_time(*t.unix_time);
  if (t.arrival_seq != 0) m.set_arrival_sequence(t.arrival_seq);
  return m;
}

// The Tick a protobuf-parsed message stands for (tick_type assumed valid).
inline Tick FromProto(const ib_stream::StreamMessage& m) {
  Tick t;
  t.timestamp_us = m.timestamp().seconds() * kUsPerSecond + m.timestamp().nanos() / 1000;
  t.arrival_seq = m.has_arrival_sequence() ? m.arrival_sequence() : 0;
  t.stream_id = m.stream_id();
  const auto& d = m.tick_data();
  t.contract_id = d.contract_id();
  t.tick_type = ParseTickTypeName(d.tick_type()).value_or(TickType::kBidAsk);
  if (d.has_price()) t.price = d.price();
  if (d.has_size()) t.size = d.size();
  if (d.has_bid_price()) t.bid_price = d.bid_price();
  if (d.has_bid_size()) t.bid_size = d.bid_size();
  if (d.has_ask_price()) t.ask_price = d.ask_price();
  if (d.has_ask_size()) t.ask_size = d.ask_size();
  if (d.has_mid_price()) t.mid_price = d.mid_price();
  if (d.has_exchange()) t.exchange = d.exchange();
  t.conditions.assign(d.conditions().begin(), d.conditions().end());
  if (d.has_sequence()) t.sequence = d.sequence();
  if (d.has_past_limit()) t.past_limit = d.past_limit();
  if (d.has_unreported()) t.unreported = d.unreported();
  if (d.has_bid_past_low()) t.bid_past_low = d.bid_past_low();
  if (d.has_ask_past_high()) t.ask_past_high = d.ask_past_high();
  if (d.has_unix_time()) t.unix_time = d.unix_time();
  return t;
}

inline FileHeaderInfo Header(std::uint64_t count, const char* compression) {
  FileHeaderInfo h;
  h.start_time = h.end_time = h.hour_bucket = kSomeTime - kSomeTime % kUsPerHour;
  h.contract_id = 711280073;
  h.tick_type = TickType::kBidAsk;
  h.message_count = count;
  h.compression = compression;
  h.instance_name = "test";
  return h;
}

// An open file as the partition writer appends it, with the byte offset at
// which each frame starts (offsets[i] for tick i; offsets.back() = size).
struct OpenFile {
  std::string bytes;
  std::vector<std::uint64_t> offsets;
};

inline OpenFile MakeOpenFile(const std::vector<Tick>& ticks) {
  OpenFile f;
  AppendFrame(f.bytes, EncodeFileHeader(Header(0, "none")));
  std::string body;
  for (const Tick& t : ticks) {
    f.offsets.push_back(f.bytes.size());
    body.clear();
    EncodeTickMessage(t, Checksum::kCrc32c, body);
    AppendFrame(f.bytes, body);
  }
  f.offsets.push_back(f.bytes.size());
  return f;
}

// A sealed file of `ticks` (in the order given) at LZ4 `level`.
inline std::string Sealed(const std::vector<Tick>& ticks, int level = 0) {
  auto r = Lz4CompressFrame(EncodeSealedContent(Header(ticks.size(), "lz4"), ticks), level);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : std::string();
}

}  // namespace ibr::format::testing
