// Simulator: deterministic synthetic IB-Stream v2 tick lines (NDJSON) for tests,
// benchmarks, demos and the daemon's built-in source: random-walk quotes on each
// contract's tick size, trades at bid or ask, bursts sharing a timestamp, the spec's
// and the real server's message shapes mixed (all accepted by V2Decoder). Same
// options and seed, same bytes. A Simulator is a plain object: one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "common/tick.h"

namespace ibr::ingest {

struct SimContract {
  std::uint32_t id = 0;
  // Picks the price model: MNQ/NQ/ES/MES trade in 0.25 steps, anything else
  // like a stock (0.01, round lots). Base prices: MNQ/NQ 23260, ES/MES 6400,
  // AAPL 229.95, else 100.
  std::string symbol;
};

struct SimulatorOptions {
  std::vector<SimContract> contracts;
  std::vector<TickType> tick_types = {TickType::kBidAsk, TickType::kLast, TickType::kAllLast,
                                      TickType::kMidPoint};
  double rate = 10;                  // ticks per second per contract, its tick types together
  TimeUs start = 0;                  // first tick at or after this
  TimeUs duration = kUsPerMinute;    // ticks before start + duration; <= 0: never ends
  std::uint64_t seed = 1;
};

// "711280073:MNQ,265598:AAPL" (a bare id means an unnamed stock-like contract).
// Errors quote the bad item.
Result<std::vector<SimContract>> ParseSimContracts(std::string_view text);

// Non-empty unique contracts with ids 1..4294967295, at least one tick type,
// 0 < rate <= 1,000,000, start in 2000..9999, duration at most 100 years.
Status ValidateSimulatorOptions(const SimulatorOptions& options);

class Simulator {
 public:
  // `options` must pass ValidateSimulatorOptions.
  explicit Simulator(SimulatorOptions options);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Replaces *line with the next line (no '\n'). False once the duration is over.
  bool Next(std::string* line);
  // Envelope time of the line Next() returns next, so a caller can pace in
  // real time. Only meaningful while !Done().
  TimeUs NextTimestamp() const;
  bool Done() const;
  std::uint64_t lines() const;  // lines returned so far

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes the whole simulation to `fd` as NDJSON, one write(2) per ~1 MiB.
// A reader that went away (EPIPE; ignore SIGPIPE first) gives kUnavailable,
// other write errors kIoError. `lines_written` (may be null) gets the lines generated.
Status WriteSimulation(const SimulatorOptions& options, int fd, std::uint64_t* lines_written = nullptr);

}  // namespace ibr::ingest
