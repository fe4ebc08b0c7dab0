// Decode rate over simulator output, printed for the record (tests never
// assert timings); what is asserted is that every line became a tick.
#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "common/time_text.h"
#include "ingest/simulator.h"
#include "ingest/v2_decoder.h"

namespace ibr::ingest {
namespace {

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

TEST(DecodeRateTest, PrintsLinesPerSecondOverSimulatorOutput) {
  SimulatorOptions o;
  o.contracts = {{711280073, "MNQ"}, {265598, "AAPL"}};
  o.start = *ParseIsoTimestamp("2025-08-01T13:30:00Z");
  o.duration = 25 * kUsPerMinute;
  o.rate = 100;  // ~300,000 lines
  Simulator sim(o);
  std::string all, line;
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  while (sim.Next(&line)) {
    spans.emplace_back(all.size(), line.size());
    all += line;
    all += '\n';
  }
  all.append(kLinePadding, ' ');  // so every line can go through the padded path
  V2Decoder decoder;
  DecodeResult r;
  for (bool padded : {false, true}) {
    std::size_t ticks = 0;
    const int kRounds = 3;
    double t0 = ThreadCpuSeconds();
    for (int round = 0; round < kRounds; ++round) {
      for (const auto& [off, len] : spans) {
        decoder.Decode(std::string_view(all.data() + off, len), o.start, padded, r);
        ticks += r.kind == DecodeResult::Kind::kTick;
      }
    }
    double cpu = ThreadCpuSeconds() - t0;
    const std::size_t lines = kRounds * spans.size();
    EXPECT_EQ(ticks, lines);
    std::printf("[ rate     ] %s: %zu lines of %.0f bytes on average, %.0f lines/s (thread CPU time)\n",
                padded ? "padded" : "copied", lines,
                static_cast<double>(all.size()) / static_cast<double>(spans.size()),
                static_cast<double>(lines) / cpu);
  }
}

}  // namespace
}  // namespace ibr::ingest
