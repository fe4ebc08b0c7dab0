// Simulator: determinism, acceptance by V2Decoder, market realism, pacing
// peek, option parsing, and writing to a descriptor.
#include "ingest/simulator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <map>
#include <string>

#include "common/time_text.h"
#include "ingest/v2_decoder.h"

namespace ibr::ingest {
namespace {

SimulatorOptions TwoContracts() {
  SimulatorOptions o;
  o.contracts = {{711280073, "MNQ"}, {265598, "AAPL"}};
  o.start = *ParseIsoTimestamp("2025-08-01T13:30:00Z");
  o.duration = kUsPerHour;
  o.rate = 20;
  o.seed = 7;
  return o;
}

std::string Generate(const SimulatorOptions& o, std::uint64_t max_lines = UINT64_MAX) {
  Simulator sim(o);
  std::string all, line;
  while (sim.lines() < max_lines && sim.Next(&line)) all += line + "\n";
  return all;
}

TEST(SimulatorTest, SameSeedSameBytesOtherSeedOtherBytes) {
  SimulatorOptions o = TwoContracts();
  o.duration = 5 * kUsPerMinute;
  std::string a = Generate(o), b = Generate(o);
  EXPECT_GT(a.size(), 100000u);
  EXPECT_EQ(a, b);
  o.seed = 8;
  EXPECT_NE(Generate(o), a);
}

// Text that shows a line uses one of the message shapes the simulator mixes.
const std::pair<const char*, const char*> kShapeMarks[] = {
    {"metadata-only ids", "\"metadata\""},   {"+00:00", "+00:00"},
    {"spaced", "\", \""},                    {"bg_ stream", "\"bg_"},
    {"client stream", "_17540"},              {"mid_price", "\"mid_price\""},
    {"midpoint", "\"midpoint\""},            {"Last", "\"Last\""},
    {"AllLast", "\"AllLast\""},              {"conditions []", "\"conditions\":[]"},
    {"conditions \"\"", "\"conditions\": \"\""}, {"unix_time", "\"unix_time\""},
    {"sequence", "\"sequence\""},
};

// Decodes 100k+ lines and checks them the way a downstream user would.
TEST(SimulatorTest, EveryLineIsAcceptedAndRealistic) {
  SimulatorOptions o = TwoContracts();
  o.rate = 20;
  o.duration = 45 * kUsPerMinute;  // 2 contracts * 20/s * 2700 s = 108,000 expected
  Simulator sim(o);
  V2Decoder decoder;
  DecodeResult r;
  std::string line;
  const TimeUs now = o.start;  // the simulator must not produce future ticks
  TimeUs prev = 0;
  std::uint64_t n = 0;
  std::map<std::string, int> shapes;
  int per_type[kTickTypeCount] = {};
  struct Book {
    bool seen = false;
    double bid = 0, ask = 0;
  };
  std::map<std::uint32_t, Book> books;
  int same_timestamp_pairs = 0;
  while (sim.Next(&line)) {
    ++n;
    decoder.Decode(line, now, false, r);
    ASSERT_EQ(r.kind, DecodeResult::Kind::kTick) << line << " -> " << RejectReasonCode(r.reason) << ": " << r.detail;
    const Tick& t = r.tick;
    ASSERT_GE(t.timestamp_us, prev) << line;
    if (t.timestamp_us == prev) ++same_timestamp_pairs;
    prev = t.timestamp_us;
    ASSERT_GE(t.timestamp_us, o.start);
    ASSERT_LT(t.timestamp_us, o.start + o.duration);
    ASSERT_TRUE(t.contract_id == 711280073u || t.contract_id == 265598u);
    ++per_type[static_cast<int>(t.tick_type)];
    const bool mnq = t.contract_id == 711280073u;
    const double grid = mnq ? 4 : 100;
    auto on_grid = [&](double p) { return std::fabs(p * grid - std::round(p * grid)) < 1e-6; };
    auto good_size = [&](double s) {
      return mnq ? (s >= 1 && s <= 20 && s == std::floor(s)) : (s >= 100 && s <= 2000 && std::fmod(s, 100) == 0);
    };
    Book& book = books[t.contract_id];
    switch (t.tick_type) {
      case TickType::kBidAsk: {
        ASSERT_TRUE(on_grid(*t.bid_price) && on_grid(*t.ask_price)) << line;
        double spread_ticks = std::round((*t.ask_price - *t.bid_price) * grid);
        ASSERT_GE(spread_ticks, 1) << line;
        ASSERT_LE(spread_ticks, 3) << line;
        ASSERT_TRUE(good_size(*t.bid_size) && good_size(*t.ask_size)) << line;
        book = {true, *t.bid_price, *t.ask_price};
        break;
      }
      case TickType::kMidPoint:
        if (book.seen) {
          ASSERT_DOUBLE_EQ(*t.mid_price, (book.bid + book.ask) / 2) << line;
        }
        ASSERT_TRUE(on_grid(*t.mid_price * 2)) << line;
        break;
      case TickType::kLast:
      case TickType::kAllLast:
        if (book.seen) {
          ASSERT_TRUE(*t.price == book.bid || *t.price == book.ask) << line;
        }
        ASSERT_TRUE(good_size(*t.size)) << line;
        ASSERT_EQ(t.exchange, mnq ? "CME" : "NASDAQ");
        break;
    }
    for (const auto& [label, needle] : kShapeMarks) {
      if (line.find(needle) != std::string::npos) ++shapes[label];
    }
  }
  EXPECT_GT(n, 100000u);
  // Mean rate within 5% of the configured one.
  const double expected = 2 * o.rate * 2700;
  EXPECT_NEAR(static_cast<double>(n), expected, expected * 0.05);
  for (int i = 0; i < kTickTypeCount; ++i) EXPECT_GT(per_type[i], 1000) << TickTypeName(static_cast<TickType>(i));
  EXPECT_GT(same_timestamp_pairs, 10000);  // bursts share timestamps
  for (const auto& [label, needle] : kShapeMarks) EXPECT_GT(shapes[label], 1000) << label;
}

TEST(SimulatorTest, OnlyTheRequestedTickTypes) {
  SimulatorOptions o = TwoContracts();
  o.tick_types = {TickType::kLast};
  o.duration = 2 * kUsPerMinute;
  Simulator sim(o);
  V2Decoder decoder;
  std::string line;
  int n = 0;
  while (sim.Next(&line)) {
    DecodeResult r = decoder.Decode(line, o.start);
    ASSERT_EQ(r.kind, DecodeResult::Kind::kTick);
    ASSERT_EQ(r.tick.tick_type, TickType::kLast);
    ++n;
  }
  EXPECT_NEAR(n, 2 * 20 * 120, 2 * 20 * 120 * 0.1);
}

TEST(SimulatorTest, NextTimestampPeeksAtTheNextLine) {
  SimulatorOptions o = TwoContracts();
  o.duration = 10 * kUsPerSecond;
  Simulator sim(o);
  V2Decoder decoder;
  std::string line;
  while (!sim.Done()) {
    TimeUs peek = sim.NextTimestamp();
    ASSERT_TRUE(sim.Next(&line));
    EXPECT_EQ(decoder.Decode(line, o.start).tick.timestamp_us, peek);
  }
  EXPECT_FALSE(sim.Next(&line));
  EXPECT_GT(sim.lines(), 100u);
}

TEST(SimulatorTest, ZeroDurationNeverEnds) {
  SimulatorOptions o = TwoContracts();
  o.duration = 0;
  o.rate = 1000;
  Simulator sim(o);
  std::string line;
  for (int i = 0; i < 200000; ++i) ASSERT_TRUE(sim.Next(&line));
  EXPECT_FALSE(sim.Done());
  EXPECT_GT(sim.NextTimestamp(), o.start + 90 * kUsPerSecond);
}

TEST(SimulatorTest, UnknownSymbolsTradeLikeStocksAround100) {
  SimulatorOptions o;
  o.contracts = {{42, ""}};
  o.start = *ParseIsoTimestamp("2025-08-01T13:30:00Z");
  Simulator sim(o);
  V2Decoder decoder;
  std::string line;
  while (sim.Next(&line)) {
    DecodeResult r = decoder.Decode(line, o.start);
    ASSERT_EQ(r.kind, DecodeResult::Kind::kTick);
    if (r.tick.bid_price) {
      EXPECT_NEAR(*r.tick.bid_price, 100, 5);
    }
  }
}

TEST(SimulatorTest, ParseContracts) {
  auto c = ParseSimContracts("711280073:MNQ,265598:AAPL,42");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->size(), 3u);
  EXPECT_EQ((*c)[0].id, 711280073u);
  EXPECT_EQ((*c)[0].symbol, "MNQ");
  EXPECT_EQ((*c)[1].symbol, "AAPL");
  EXPECT_EQ((*c)[2].id, 42u);
  EXPECT_EQ((*c)[2].symbol, "");
  for (const char* bad : {"", "MNQ", "0:MNQ", "x:MNQ", "1:", "1:MNQ,", "1:MNQ,1:ES", "4294967296:X", "1:M Q",
                          "1:\"x\""}) {
    auto r = ParseSimContracts(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(std::string("'") + bad + "'"), std::string::npos) << r.status().message();
  }
}

TEST(SimulatorTest, ValidateOptions) {
  EXPECT_TRUE(ValidateSimulatorOptions(TwoContracts()).ok());
  SimulatorOptions o = TwoContracts();
  o.contracts.clear();
  EXPECT_FALSE(ValidateSimulatorOptions(o).ok());
  o = TwoContracts();
  o.contracts.push_back({265598, "X"});
  EXPECT_FALSE(ValidateSimulatorOptions(o).ok());
  o = TwoContracts();
  o.tick_types.clear();
  EXPECT_FALSE(ValidateSimulatorOptions(o).ok());
  for (double rate : {0.0, -1.0, 1e7, std::nan("")}) {
    o = TwoContracts();
    o.rate = rate;
    EXPECT_FALSE(ValidateSimulatorOptions(o).ok()) << rate;
  }
  o = TwoContracts();
  o.start = 0;
  EXPECT_FALSE(ValidateSimulatorOptions(o).ok());
  o = TwoContracts();
  o.duration = 1000 * 366 * kUsPerDay;
  EXPECT_FALSE(ValidateSimulatorOptions(o).ok());
}

TEST(SimulatorTest, WriteSimulationWritesTheSameLines) {
  SimulatorOptions o = TwoContracts();
  o.duration = 20 * kUsPerMinute;  // several MiB: more than one write
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  std::uint64_t lines = 0;
  Status st = WriteSimulation(o, fileno(f), &lines);
  ASSERT_TRUE(st.ok()) << st.ToString();
  std::string got;
  std::rewind(f);
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) got.append(buf, n);
  std::fclose(f);
  std::string want = Generate(o);
  EXPECT_GT(want.size(), 2u << 20);
  EXPECT_EQ(got, want);
  EXPECT_EQ(lines, static_cast<std::uint64_t>(std::count(want.begin(), want.end(), '\n')));
}

TEST(SimulatorTest, WriteSimulationToAClosedPipeIsUnavailable) {
  auto old = std::signal(SIGPIPE, SIG_IGN);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);
  Status st = WriteSimulation(TwoContracts(), fds[1]);
  ::close(fds[1]);
  std::signal(SIGPIPE, old);
  EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st.ToString();
}

TEST(SimulatorTest, WriteSimulationRejectsBadOptions) {
  SimulatorOptions o = TwoContracts();
  o.rate = 0;
  EXPECT_EQ(WriteSimulation(o, 1).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ibr::ingest
