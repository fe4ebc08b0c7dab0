// `ib-recorder run`.
#include "cli/run_command.h"

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include "daemon/passthrough_service.h"
#include "daemon/read_only_service.h"
#include "daemon/sim_source.h"
#include "daemon/sse_source.h"
#include "common/systemd_notifier.h"
#include "daemon/writer_service.h"
#include "http/http_server.h"

namespace ibr::cli {
namespace {

void Log(const std::string& line) { std::fprintf(stderr, "ib-recorder: %s\n", line.c_str()); }

// Blocks until one of `set` arrives; returns its number.
int WaitForSignal(const sigset_t& set) {
  for (;;) {
    int sig = ::sigwaitinfo(&set, nullptr);
    if (sig > 0) return sig;
    if (errno != EINTR) return SIGTERM;
  }
}

Result<std::unique_ptr<daemon::TickSource>> MakeSource(const daemon::RecorderConfig& c, const Clock& clock) {
  if (c.read_only || c.source == "http") return std::unique_ptr<daemon::TickSource>();
  if (c.source == "sim") return std::unique_ptr<daemon::TickSource>(new daemon::SimSource(c, clock));
  if (c.source == "sse") return daemon::MakeSseSource(c, clock);
  return Status::InvalidArgument("unknown source '" + c.source + "'");
}

}  // namespace

int RunRecorder(const daemon::RecorderFlags& flags, const Clock& clock, const config::HostResolver& resolver) {
  auto resolved = daemon::ResolveRecorderConfig(flags, daemon::ProcessEnvironment(), resolver);
  if (!resolved.ok()) {
    std::fprintf(stderr, "ib-recorder run: %s\n", resolved.status().message().c_str());
    return 2;
  }
  const daemon::RecorderConfig& config = *resolved;
  for (const auto& w : config.warnings) Log("warning: " + w);

  // Every thread started from here on inherits this mask, so SIGTERM/SIGINT
  // are taken only by the sigwaitinfo below, never by a worker thread.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<daemon::RecorderService> service;
  if (config.mode == daemon::RecorderMode::kPassthrough) {
    auto pt = daemon::PassthroughService::Open(config, PosixFileSystem::Instance(), clock);
    if (!pt.ok()) {
      std::fprintf(stderr, "ib-recorder run: %s\n", pt.status().message().c_str());
      return 1;
    }
    service = std::move(pt.value());
    Log("passthrough: relaying live streams from " + config.upstream_url + "; nothing is recorded, no lock is taken; " +
        "history from " + config.storage_path +
        (PosixFileSystem::Instance().Exists(config.storage_path) ? " (read-only)" : " (absent: history answers 503)"));
  } else if (config.read_only) {
    auto ro = daemon::ReadOnlyService::Open(config, PosixFileSystem::Instance(), clock);
    if (!ro.ok()) {
      std::fprintf(stderr, "ib-recorder run: %s\n", ro.status().message().c_str());
      return 1;
    }
    service = std::move(ro.value());
    Log("read-only: serving " + config.storage_path + " without the lock; nothing is recorded");
  } else {
    auto ws = daemon::WriterService::Start(config, PosixFileSystem::Instance(), clock);
    if (!ws.ok()) {
      std::fprintf(stderr, "ib-recorder run: %s\n", ws.status().message().c_str());
      return 1;
    }
    service = std::move(ws.value());
  }

  if (config.mode == daemon::RecorderMode::kIsolated) {
    Log("isolated: recording into " + config.storage_path + " as instance " + config.instance_name);
  }

  http::HttpServerOptions ho;
  ho.bind = config.bind;
  ho.port = config.recorder_port;
  ho.max_concurrent_queries = static_cast<std::size_t>(config.max_concurrent_queries);
  http::HttpServer server(*service, clock, ho);
  if (Status s = server.Start(); !s.ok()) {
    std::fprintf(stderr, "ib-recorder run: HTTP server on %s:%d: %s\n", config.bind.c_str(), config.recorder_port,
                 s.message().c_str());
    // A start-up error: the session (if this run opened one) is closed `failed`, not `completed`.
    service->Fail("HTTP server could not start on " + config.bind + ":" + std::to_string(config.recorder_port) + ": " +
                  s.message());
    return 2;
  }
  Log("listening on http://" + config.bind + ":" + std::to_string(server.port()) + "/ (status page, /health, v2 API)");

  auto source = MakeSource(config, clock);
  Status started = source.ok() ? Status::Ok() : source.status();
  if (started.ok() && *source) started = (*source)->Start(*service);
  if (!started.ok()) {
    std::fprintf(stderr, "ib-recorder run: source %s: %s\n", config.source.c_str(), started.message().c_str());
    service->Fail("source could not start: " + started.message());
    server.Stop();
    return 1;
  }
  if (!config.read_only) {
    Log(config.source == "http" ? std::string("source http: ticks arrive by POST /v2/ingest")
                                : "source " + config.source + " started for " + std::to_string(config.tracked.size()) +
                                      " tracked contracts" +
                                      (config.source == "sse" ? " from " + config.upstream_url : std::string()));
  }

  // Type=notify: systemd counts the unit started only now — storage recovered, session
  // open, the HTTP port listening and the source running.
  const SystemdNotifier notifier = SystemdNotifier::FromEnvironment();
  const std::string ready = (config.mode == daemon::RecorderMode::kPassthrough ? "passthrough from " + config.upstream_url
                             : config.read_only ? std::string("serving read-only")
                                                : "recording from " + config.source) +
                            ", HTTP on " + config.bind + ":" + std::to_string(server.port());
  if (Status s = notifier.Ready(ready); !s.ok()) Log("warning: " + s.message());

  const int sig = WaitForSignal(signals);
  const std::string name = sig == SIGINT ? "SIGINT" : "SIGTERM";
  Log("received " + name + ": stopping");
  (void)notifier.Stopping("received " + name + ": flushing, sealing what is due, closing the session");
  // Order matters: sources first (no new ticks), then the HTTP server (open
  // /v2/stream and /with-buffer clients get a final `complete` event while the
  // service still runs, in-flight requests finish, no new ones are taken),
  // then the service (flush, seal what is due, session `completed`).
  if (*source) (*source)->Stop();
  server.Stop();
  service->Stop("stopped by " + name);
  Log("stopped");
  return 0;
}

}  // namespace ibr::cli
