// daemon_memory_bench: resident memory of the real `ib-recorder run --source sim` recording 40
// streams (10 contracts x 4 tick types), sampled from /proc/<pid>/status (VmRSS every 100 ms,
// VmHWM at the end) against issue 3's 100 MB budget. Stages, one after the other in one run:
//   idle     — recording only;
//   clients  — plus live SSE clients (/v2/stream/{id}, all tick types) and historical NDJSON clients;
//   seal     — (--seal-ticks N > 0) plus N ticks of one stream POSTed into an hour two hours back,
//              which the recorder then seals while recording: the sealer holds one whole hour file.
//
//   daemon_memory_bench [--seconds 10] [--sim-rate 100] [--sse-clients 10] [--query-clients 10]
//                       [--seal-ticks 0] [--bin PATH] [--dir D] [--keep]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "common/time_text.h"
#include "daemon_bench_flags.h"
#include "daemon_recorder_process.h"
#include "ingest/simulator.h"

namespace fs = std::filesystem;
using namespace ibr;
using namespace ibr::bench;
using Wall = std::chrono::steady_clock;

namespace {

constexpr const char* kAllTypes = "bid_ask,last,all_last,mid_point";
const std::vector<std::pair<std::uint32_t, std::string>> kContracts = {
    {711280073, "MNQ"}, {495512557, "ES"}, {265598, "AAPL"}, {272093, "MSFT"}, {76792991, "TSLA"},
    {4815747, "NVDA"},  {3691937, "AMZN"}, {208813719, "GOOGL"}, {107113386, "META"}, {756733, "SPY"}};

struct Options : CommonFlags {
  double sim_rate = 100;  // ticks/s per contract (IB_STREAM_SIM_RATE)
  long sse_clients = 10;
  long query_clients = 10;
  long seal_ticks = 0;
  Options() {
    seconds = 10;  // per stage
    bin = IBR_RECORDER_BIN;
    dir = "/tmp/ibr-daemon-memory-bench";
  }
};

// Sum of every sample of a metric family in /metrics text.
double MetricSum(const std::string& metrics, const std::string& family) {
  double sum = 0;
  std::size_t at = 0;
  while ((at = metrics.find(family + "{", at)) != std::string::npos) {
    if (at == 0 || metrics[at - 1] == '\n') {
      const std::size_t sp = metrics.find("} ", at);
      if (sp != std::string::npos) sum += std::strtod(&metrics[sp + 2], nullptr);
    }
    at += family.size();
  }
  return sum;
}

double TicksStored(int port) {
  std::string m;
  return HttpGet(port, "/metrics", &m) == 200 ? MetricSum(m, "ib_recorder_ticks_stored_total") : -1;
}

struct Stage {
  std::string name;
  long peak_rss_kb = 0;
  double ticks_per_s = -1;  // -1: not measured in this stage
  std::string note;
};

// Samples VmRSS every 100 ms for `seconds` (or until `until` says done); the peak in kB.
template <typename Done>
long SampleRss(pid_t pid, double seconds, Done until) {
  long peak = 0;
  const auto end = Wall::now() + std::chrono::duration<double>(seconds);
  while (Wall::now() < end && !until()) {
    peak = std::max(peak, ProcStatusKb(pid, "VmRSS"));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return std::max(peak, ProcStatusKb(pid, "VmRSS"));
}

Stage RunStage(const std::string& name, pid_t pid, int port, double seconds) {
  Stage s;
  s.name = name;
  const double t0 = TicksStored(port);
  const auto w0 = Wall::now();
  s.peak_rss_kb = SampleRss(pid, seconds, [] { return false; });
  s.ticks_per_s = (TicksStored(port) - t0) / std::chrono::duration<double>(Wall::now() - w0).count();
  return s;
}

// Live SSE readers and historical NDJSON readers (the last minute, all tick types) until destroyed.
class Clients {
 public:
  Clients(int port, int sse, int queries) {
    for (int i = 0; i < sse; ++i) {
      threads_.emplace_back([=, this] {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(60, 0);
        const std::string path =
            "/v2/stream/" + std::to_string(kContracts[static_cast<std::size_t>(i) % kContracts.size()].first) +
            "?tick_types=" + kAllTypes;
        while (!stop_.load()) {
          c.Get(path.c_str(), [&](const char*, std::size_t n) {
            sse_bytes_.fetch_add(n);
            return !stop_.load();
          });
        }
      });
    }
    for (int i = 0; i < queries; ++i) {
      threads_.emplace_back([=, this] {
        httplib::Client c("127.0.0.1", port);
        c.set_keep_alive(true);
        c.set_read_timeout(60, 0);
        const auto& contract = kContracts[static_cast<std::size_t>(i) % kContracts.size()];
        while (!stop_.load()) {
          const TimeUs now = SystemClock::Instance().Now();
          const std::string path = "/v2/historical/" + std::to_string(contract.first) +
                                   "/range?start_time=" + FormatIsoTimestamp(now - kUsPerMinute) +
                                   "&end_time=" + FormatIsoTimestamp(now) + "&format=ndjson&tick_types=" + kAllTypes;
          auto r = c.Get(path.c_str(), [&](const char*, std::size_t n) {
            query_bytes_.fetch_add(n);
            return !stop_.load();
          });
          if (r && r->status == 200) queries_.fetch_add(1);
        }
      });
    }
  }
  ~Clients() {
    stop_.store(true);
    for (auto& t : threads_) t.join();
  }
  std::uint64_t sse_bytes() const { return sse_bytes_.load(); }
  std::uint64_t queries() const { return queries_.load(); }
  std::uint64_t query_bytes() const { return query_bytes_.load(); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> sse_bytes_{0}, queries_{0}, query_bytes_{0};
  std::vector<std::thread> threads_;
};

// POSTs `n` bid_ask ticks of one contract spread over the hour starting `hour`, 4 MB a request.
void PostHour(int port, std::uint32_t contract, TimeUs hour, long n) {
  ingest::SimulatorOptions so;
  so.contracts = {{contract, "SEAL"}};
  so.tick_types = {TickType::kBidAsk};
  so.rate = static_cast<double>(n) / 3600.0;
  so.start = hour;
  so.duration = kUsPerHour;
  so.seed = 3;
  ingest::Simulator sim(so);
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(300, 0);
  std::string body, line;
  for (;;) {
    const bool more = sim.Next(&line);
    if (more) body += line + "\n";
    if ((!more && !body.empty()) || body.size() > (4u << 20)) {
      auto r = c.Post("/v2/ingest", body, "application/x-ndjson");
      if (!r || r->status != 200) Die("POST /v2/ingest failed: " + (r ? r->body : httplib::to_string(r.error())));
      body.clear();
    }
    if (!more) break;
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  StartBench(argc, argv, o,
             {{"--sim-rate", Number(&o.sim_rate)},
              {"--sse-clients", Count(&o.sse_clients)},
              {"--query-clients", Count(&o.query_clients)},
              {"--seal-ticks", Count(&o.seal_ticks)}},
             "bench/daemon_memory_bench.cc");
  if (o.seconds <= 0 || o.sim_rate <= 0 || o.sse_clients < 0 || o.query_clients < 0 || o.seal_ticks < 0) {
    Die("durations and rates must be positive, counts not negative");
  }

  std::string tracked;
  for (const auto& [id, symbol] : kContracts) {
    tracked += (tracked.empty() ? "" : ",") + std::to_string(id) + ":" + symbol + ":bid_ask;last;all_last;mid_point";
  }
  char rate[32];
  std::snprintf(rate, sizeof(rate), "%g", o.sim_rate);
  const RecorderLaunch launch =
      ScratchLaunch(o.bin, o.dir, "sim", {{"IB_STREAM_TRACKED_CONTRACTS", tracked}, {"IB_STREAM_SIM_RATE", rate}});
  RecorderProcess rec(launch);
  std::printf("recorder: %s run --source sim, pid %d, port %d: %zu contracts x 4 tick types = %zu streams, "
              "%g ticks/s per contract\n",
              o.bin.c_str(), rec.pid(), rec.port(), kContracts.size(), kContracts.size() * 4, o.sim_rate);
  std::printf("at start: VmRSS %.1f MB\n", ProcStatusKb(rec.pid(), "VmRSS") / 1024.0);

  std::vector<Stage> stages;
  stages.push_back(RunStage("idle (recording only)", rec.pid(), rec.port(), o.seconds));
  {
    Clients clients(rec.port(), o.sse_clients, o.query_clients);
    Stage s = RunStage("+ " + std::to_string(o.sse_clients) + " SSE, " + std::to_string(o.query_clients) +
                           " historical clients",
                       rec.pid(), rec.port(), o.seconds);
    char note[160];
    std::snprintf(note, sizeof(note), "SSE %.0f KB/s received; %.1f queries/s, %.0f KB/s",
                  static_cast<double>(clients.sse_bytes()) / o.seconds / 1e3,
                  static_cast<double>(clients.queries()) / o.seconds,
                  static_cast<double>(clients.query_bytes()) / o.seconds / 1e3);
    s.note = note;
    stages.push_back(s);
  }
  if (o.seal_ticks > 0) {
    const TimeUs now = SystemClock::Instance().Now();
    const TimeUs hour = now - now % kUsPerHour - 2 * kUsPerHour;
    const std::uint32_t contract = 999001;
    Stage post;
    post.name = "POST " + std::to_string(o.seal_ticks) + " ticks (4 MB bodies)";
    std::atomic<bool> posted{false};
    const auto w0 = Wall::now();
    std::thread poster([&] {
      PostHour(rec.port(), contract, hour, o.seal_ticks);
      posted.store(true);
    });
    post.peak_rss_kb = SampleRss(rec.pid(), 600, [&] { return posted.load(); });
    poster.join();
    post.note = "took " + std::to_string(std::chrono::duration<double>(Wall::now() - w0).count()).substr(0, 5) + " s";
    stages.push_back(post);
    Stage seal;
    seal.name = "seal that hour file";
    std::string m;
    const double sealed0 =
        HttpGet(rec.port(), "/metrics", &m) == 200 ? MetricValue(m, "ib_recorder_files{state=\"sealed\"}") : -1;
    auto sealed = [&] {
      return HttpGet(rec.port(), "/metrics", &m) == 200 &&
             MetricValue(m, "ib_recorder_files{state=\"sealed\"}") > sealed0;
    };
    const auto s0 = Wall::now();
    seal.peak_rss_kb = SampleRss(rec.pid(), 120, sealed);
    seal.note = (sealed() ? "sealed after " : "NOT sealed after ") +
                std::to_string(std::chrono::duration<double>(Wall::now() - s0).count()).substr(0, 5) + " s";
    stages.push_back(seal);
    stages.push_back(RunStage("after the seal", rec.pid(), rec.port(), std::min(o.seconds, 5.0)));
  }
  const long hwm = ProcStatusKb(rec.pid(), "VmHWM"), rss = ProcStatusKb(rec.pid(), "VmRSS");
  const int rc = rec.Stop();

  std::printf("\n%-44s %14s %14s  %s\n", "stage", "peak VmRSS MB", "ticks/s stored", "notes");
  for (const auto& s : stages) {
    const std::string rate = s.ticks_per_s < 0 ? "-" : std::to_string(static_cast<long>(s.ticks_per_s));
    std::printf("%-44s %14.1f %14s  %s\n", s.name.c_str(), s.peak_rss_kb / 1024.0, rate.c_str(), s.note.c_str());
  }
  std::printf("\nVmHWM (peak resident, whole run) %.1f MB, VmRSS at the end %.1f MB; budget 100 MB -> %s\n",
              hwm / 1024.0, rss / 1024.0, hwm < 100 * 1024 ? "met" : "NOT met");
  std::printf("recorder exit status %d after SIGTERM\n", rc);
  if (!o.keep) fs::remove_all(o.dir);
  return rc == 0 ? 0 : 1;
}
