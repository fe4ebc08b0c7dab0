// `ib-recorder simulate --serve`: options, then SseSimulatorServer until a
// signal. SIGTERM/SIGINT are blocked before any server thread starts and
// taken with sigwait, so no handler runs on a server thread.
#include "cli/simulate_serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/clock.h"
#include "daemon/sse_simulator_server.h"
#include "ingest/simulator.h"

namespace ibr::cli {
namespace {

Result<daemon::SseSimulatorServerOptions> ServeOptions(const SimulateOptions& o) {
  daemon::SseSimulatorServerOptions out;
  // Said rather than ignored: a served stream runs in real time and each request names its tick types.
  if (!o.start.empty() || o.duration != SimulateOptions{}.duration) {
    return Status::InvalidArgument("--start and --duration do not apply to --serve (ticks are stamped in real time until stopped)");
  }
  if (!o.tick_types.empty()) {
    return Status::InvalidArgument("--tick-types does not apply to --serve (each request names its own: ?tick_types=bid_ask,last)");
  }
  if (!o.contracts.empty()) {
    auto contracts = ingest::ParseSimContracts(o.contracts);
    if (!contracts.ok()) return contracts.status().WithContext("--contracts");
    out.contracts = std::move(contracts).value();
  }
  const char* rate_begin = o.rate.c_str();
  char* rate_end = nullptr;
  out.rate = std::strtod(rate_begin, &rate_end);
  if (o.rate.empty() || rate_end != rate_begin + o.rate.size() || !std::isfinite(out.rate) || out.rate <= 0 ||
      out.rate > 1'000'000) {
    return Status::InvalidArgument("invalid --rate '" + o.rate +
                                   "' (expected ticks per second per stream, above 0 and at most 1000000)");
  }
  const auto seed = std::from_chars(o.seed.data(), o.seed.data() + o.seed.size(), out.seed);
  if (o.seed.empty() || seed.ec != std::errc() || seed.ptr != o.seed.data() + o.seed.size()) {
    return Status::InvalidArgument("invalid --seed '" + o.seed + "' (expected a whole number from 0 to 18446744073709551615)");
  }
  return out;
}

}  // namespace

Result<ServeAddress> ParseServeAddress(std::string_view text) {
  auto bad = [&](const char* why) {
    return Status::InvalidArgument("invalid --serve address '" + std::string(text) + "': " + why +
                                   " (expected HOST:PORT, :PORT or PORT, e.g. 127.0.0.1:8001)");
  };
  ServeAddress out;
  std::string_view port_text = text;
  const std::size_t colon = text.rfind(':');
  if (colon != std::string_view::npos) {
    std::string_view host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.find(':') != std::string_view::npos && text.front() != '[') return bad("write an IPv6 host in brackets");
    out.host = std::string(host);
  }
  if (out.host.empty()) out.host = "127.0.0.1";
  int port = -1;
  const auto r = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || r.ec != std::errc() || r.ptr != port_text.data() + port_text.size() || port < 0 ||
      port > 65535) {
    return bad("the port must be a number from 0 to 65535");
  }
  out.port = port;
  return out;
}

int RunSimulateServe(const SimulateOptions& options, const std::string& address) {
  auto addr = ParseServeAddress(address);
  auto serve = ServeOptions(options);
  const Status usage = !addr.ok() ? addr.status() : serve.status();
  if (!usage.ok()) {
    std::fprintf(stderr, "ib-recorder simulate --serve: %s\n", usage.message().c_str());
    return 2;
  }
  sigset_t stop_signals, old_mask;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask);  // inherited by every server thread
  auto old_pipe = signal(SIGPIPE, SIG_IGN);

  int exit_code = 0;
  {
    daemon::SseSimulatorServer server(std::move(serve).value(), SystemClock::Instance());
    const Status st = server.Start(addr->host, addr->port);
    if (!st.ok()) {
      std::fprintf(stderr, "ib-recorder simulate --serve: %s\n", st.message().c_str());
      exit_code = 1;
    } else {
      const bool v6 = addr->host.find(':') != std::string::npos;
      std::fprintf(stderr, "serving simulated ib-stream on http://%s%s%s:%d\n", v6 ? "[" : "", addr->host.c_str(),
                   v6 ? "]" : "", server.port());
      int sig = 0;
      sigwait(&stop_signals, &sig);
      std::fprintf(stderr, "ib-recorder simulate --serve: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
      server.Stop();
    }
  }
  signal(SIGPIPE, old_pipe);
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  return exit_code;
}

}  // namespace ibr::cli
