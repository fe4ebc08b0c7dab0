// `ib-recorder simulate`: option validation, then ingest::WriteSimulation.
#include "cli/simulate_command.h"

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <csignal>
#include <string_view>

#include "cli/exit_codes.h"
#include "common/time_text.h"
#include "ingest/simulator.h"

namespace ibr::cli {
namespace {


Status Usage(std::string_view option, std::string_view value, std::string_view expected) {
  return Status::InvalidArgument("invalid " + std::string(option) + " '" + std::string(value) + "' (expected " +
                                 std::string(expected) + ")");
}

Result<ingest::SimulatorOptions> BuildOptions(const SimulateOptions& o, TimeUs now) {
  ingest::SimulatorOptions sim;
  if (o.contracts.empty()) {
    return Status::InvalidArgument("--contracts is required (e.g. --contracts 711280073:MNQ,265598:AAPL)");
  }
  auto contracts = ingest::ParseSimContracts(o.contracts);
  if (!contracts.ok()) return contracts.status().WithContext("--contracts");
  sim.contracts = std::move(contracts).value();

  if (!o.tick_types.empty()) {
    auto types = ParseTickTypeList(o.tick_types);
    if (!types) return Usage("--tick-types", o.tick_types, "a comma-separated list of bid_ask, last, all_last, mid_point");
    sim.tick_types = *types;
  }

  double rate = 0;
  auto [rate_end, rate_ec] = std::from_chars(o.rate.data(), o.rate.data() + o.rate.size(), rate);
  if (rate_ec != std::errc() || rate_end != o.rate.data() + o.rate.size() || !std::isfinite(rate) || rate <= 0 ||
      rate > 1'000'000) {
    return Usage("--rate", o.rate, "ticks per second per contract, above 0 and at most 1000000");
  }
  sim.rate = rate;

  auto [seed_end, seed_ec] = std::from_chars(o.seed.data(), o.seed.data() + o.seed.size(), sim.seed);
  if (seed_ec != std::errc() || seed_end != o.seed.data() + o.seed.size() || o.seed.empty()) {
    return Usage("--seed", o.seed, "a whole number from 0 to 18446744073709551615");
  }

  if (o.start.empty()) {
    sim.start = now - now % kUsPerMinute;
  } else {
    auto start = ParseUserTime(o.start);
    if (!start.ok()) return start.status().WithContext("--start");
    sim.start = *start;
  }

  auto duration = ParseDuration(o.duration);
  if (!duration.ok()) return duration.status().WithContext("--duration");
  sim.duration = *duration;

  IBR_RETURN_IF_ERROR(ingest::ValidateSimulatorOptions(sim));
  return sim;
}

}  // namespace

int RunSimulate(const SimulateOptions& options, const Clock& clock, int out_fd, std::FILE* err) {
  auto sim = BuildOptions(options, clock.Now());
  if (!sim.ok()) {
    std::fprintf(err, "ib-recorder simulate: %s\n", sim.status().message().c_str());
    return kExitUsage;
  }
  // `simulate | head` closes the pipe: see EPIPE instead of dying of SIGPIPE.
  auto old_handler = std::signal(SIGPIPE, SIG_IGN);
  Status st = ingest::WriteSimulation(*sim, out_fd);
  std::signal(SIGPIPE, old_handler);
  if (st.ok() || st.code() == StatusCode::kUnavailable) return kExitOk;
  std::fprintf(err, "ib-recorder simulate: %s\n", st.message().c_str());
  return kExitFailed;
}

int RunSimulate(const SimulateOptions& options) {
  return RunSimulate(options, SystemClock::Instance(), STDOUT_FILENO, stderr);
}

}  // namespace ibr::cli
