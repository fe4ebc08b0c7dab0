// daemon_load_bench: does query load slow ingest down? Runs the real `ib-recorder run --source http`
// in a scratch root, pre-loads some sealed history, then measures ticks/s made durable through
// POST /v2/ingest (acknowledged batches) alone and while N HTTP clients each fetch a 1-minute NDJSON
// range of that history in a loop — alternating, in the same run. Reports both rates, the ratio
// (issue 3's target: >= 0.9), the clients' completed queries/s, and CPU used by the recorder and by
// this process (the clients run on the same machine and compete for its cores).
//
//   daemon_load_bench [--seconds 8] [--rounds 2] [--clients 50] [--producers 1] [--batch 10000]
//                     [--history-minutes 10] [--history-rate 100] [--bin PATH] [--dir D] [--keep]
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <mutex>
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

constexpr std::uint32_t kHistoryContract = 265598;  // AAPL: what the clients query
constexpr const char* kAllTypes = "bid_ask,last,all_last,mid_point";

struct Options : CommonFlags {
  long rounds = 2;  // alone/loaded pairs
  long clients = 50;
  long producers = 1;
  long batch = 10000;  // ticks per POST (every batch costs one fdatasync per file it touches)
  long history_minutes = 10;
  double history_rate = 100;  // ticks/s of the queried contract, its four tick types together
  Options() {
    seconds = 8;  // each measured phase
    bin = IBR_RECORDER_BIN;
    dir = "/tmp/ibr-daemon-load-bench";
  }
};

double Seconds(Wall::time_point a, Wall::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// POSTs one NDJSON body; the number of ticks acknowledged as durable.
long PostBatch(httplib::Client& c, const std::string& body) {
  auto r = c.Post("/v2/ingest", body, "application/x-ndjson");
  if (!r) Die("POST /v2/ingest: no answer (" + httplib::to_string(r.error()) + ")");
  if (r->status != 200) Die("POST /v2/ingest: HTTP " + std::to_string(r->status) + " " + r->body);
  const auto at = r->body.find("\"accepted\":");
  return at == std::string::npos ? 0 : std::stol(r->body.substr(at + 11));
}

// Produces NDJSON bodies of `batch` simulator lines (10 contracts, all tick types, timestamps from
// now on) ahead of the producers, so the measured POST loop does not wait for generation.
class BodySource {
 public:
  BodySource(int batch, std::size_t ahead) : batch_(batch), ahead_(ahead) {
    ingest::SimulatorOptions o;
    o.contracts = {{711280073, "MNQ"}, {495512557, "ES"}, {1, "S1"}, {2, "S2"}, {3, "S3"},
                   {4, "S4"},          {5, "S5"},         {6, "S6"}, {7, "S7"}, {8, "S8"}};
    o.rate = 1000;  // simulated ticks/s per contract: timestamps stay well within a day of now
    o.start = SystemClock::Instance().Now();
    o.duration = 0;
    o.seed = 11;
    sim_ = std::make_unique<ingest::Simulator>(o);
    thread_ = std::thread([this] { Run(); });
  }
  ~BodySource() {
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  // The next body; adds the time spent waiting for the generator to *waited.
  std::string Take(double* waited) {
    auto t0 = Wall::now();
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return !ready_.empty(); });
    std::string b = std::move(ready_.front());
    ready_.pop_front();
    cv_.notify_all();
    *waited += Seconds(t0, Wall::now());
    return b;
  }
  // Blocks until the queue is full again (between phases).
  void Refill() {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return ready_.size() >= ahead_; });
  }

 private:
  void Run() {
    std::string line;
    for (;;) {
      std::string body;
      body.reserve(static_cast<std::size_t>(batch_) * 320);
      for (int i = 0; i < batch_ && sim_->Next(&line); ++i) {
        body += line;
        body += '\n';
      }
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait(l, [&] { return stop_ || ready_.size() < ahead_; });
      if (stop_) return;
      ready_.push_back(std::move(body));
      cv_.notify_all();
    }
  }
  const int batch_;
  const std::size_t ahead_;
  std::unique_ptr<ingest::Simulator> sim_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> ready_;
  bool stop_ = false;
  std::thread thread_;
};

// N clients, each looping GET .../range?...&format=ndjson over one minute of the history.
class QueryLoad {
 public:
  QueryLoad(int port, int clients, TimeUs history_start, int history_minutes) {
    for (int i = 0; i < clients; ++i) {
      threads_.emplace_back([=, this] {
        httplib::Client c("127.0.0.1", port);
        c.set_keep_alive(true);
        c.set_read_timeout(60, 0);
        for (int k = 0; !stop_.load(); ++k) {
          const TimeUs from = history_start + ((i + k * clients) % history_minutes) * kUsPerMinute;
          const std::string path = "/v2/historical/" + std::to_string(kHistoryContract) +
                                   "/range?start_time=" + FormatIsoTimestamp(from) +
                                   "&end_time=" + FormatIsoTimestamp(from + kUsPerMinute) +
                                   "&format=ndjson&tick_types=" + kAllTypes;
          std::uint64_t lines = 0, bytes = 0;
          auto r = c.Get(path.c_str(), [&](const char* data, std::size_t n) {
            bytes += n;
            for (std::size_t j = 0; j < n; ++j) lines += data[j] == '\n';
            return !stop_.load(std::memory_order_relaxed);
          });
          if (stop_.load()) break;
          if (!r || r->status != 200 || lines == 0) {
            errors_.fetch_add(1);
            continue;
          }
          queries_.fetch_add(1);
          ticks_.fetch_add(lines);
          bytes_.fetch_add(bytes);
        }
      });
    }
  }
  ~QueryLoad() {
    stop_.store(true);
    for (auto& t : threads_) t.join();
  }
  std::uint64_t queries() const { return queries_.load(); }
  std::uint64_t ticks() const { return ticks_.load(); }
  std::uint64_t bytes() const { return bytes_.load(); }
  std::uint64_t errors() const { return errors_.load(); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> queries_{0}, ticks_{0}, bytes_{0}, errors_{0};
  std::vector<std::thread> threads_;
};

struct Phase {
  std::uint64_t acked = 0;
  double seconds = 0, gen_wait = 0, recorder_cpu = 0, bench_cpu = 0;
  std::uint64_t queries = 0, query_ticks = 0, query_bytes = 0, query_errors = 0;
  double rate() const { return static_cast<double>(acked) / seconds; }
};

// Producers POST bodies for `seconds`; the phase ends when the last in-flight batch is acknowledged.
Phase MeasureIngest(const Options& o, int port, pid_t recorder, BodySource& bodies, const QueryLoad* load) {
  bodies.Refill();
  Phase p;
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> acked{0};
  std::vector<double> waited(static_cast<std::size_t>(o.producers), 0.0);
  const std::uint64_t q0 = load ? load->queries() : 0, t0q = load ? load->ticks() : 0,
                      b0 = load ? load->bytes() : 0, e0 = load ? load->errors() : 0;
  const double rc0 = ProcCpuSeconds(recorder), bc0 = SelfCpuSeconds();
  const auto t0 = Wall::now();
  std::vector<std::thread> producers;
  for (int i = 0; i < o.producers; ++i) {
    producers.emplace_back([&, i] {
      httplib::Client c("127.0.0.1", port);
      c.set_keep_alive(true);
      c.set_read_timeout(120, 0);
      c.set_write_timeout(120, 0);
      while (!stop.load()) acked.fetch_add(static_cast<std::uint64_t>(PostBatch(c, bodies.Take(&waited[i]))));
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  stop.store(true);
  for (auto& t : producers) t.join();
  const auto t1 = Wall::now();
  p.seconds = Seconds(t0, t1);
  p.acked = acked.load();
  for (double w : waited) p.gen_wait += w;
  p.recorder_cpu = ProcCpuSeconds(recorder) - rc0;
  p.bench_cpu = SelfCpuSeconds() - bc0;
  if (load) {
    p.queries = load->queries() - q0;
    p.query_ticks = load->ticks() - t0q;
    p.query_bytes = load->bytes() - b0;
    p.query_errors = load->errors() - e0;
  }
  return p;
}

// Pre-loads `minutes` of the queried contract starting at `start`, then waits until it is sealed.
void PreloadHistory(const Options& o, int port, TimeUs start) {
  ingest::SimulatorOptions so;
  so.contracts = {{kHistoryContract, "AAPL"}};
  so.rate = o.history_rate;
  so.start = start;
  so.duration = o.history_minutes * kUsPerMinute;
  so.seed = 7;
  ingest::Simulator sim(so);
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(120, 0);
  std::string body, line;
  std::uint64_t n = 0;
  for (;;) {
    const bool more = sim.Next(&line);
    if (more) {
      body += line;
      body += '\n';
    }
    if ((!more && !body.empty()) || body.size() > (8u << 20)) {
      n += static_cast<std::uint64_t>(PostBatch(c, body));
      body.clear();
    }
    if (!more) break;
  }
  std::printf("history: %llu ticks of contract %u from %s, %ld minutes (%.0f ticks/s, 4 tick types)\n",
              (unsigned long long)n, kHistoryContract, FormatIsoTimestamp(start).c_str(), o.history_minutes,
              o.history_rate);
  // The recorder seals hours older than its grace period every few seconds.
  std::string m;
  for (int i = 0; i < 600; ++i) {
    if (HttpGet(port, "/metrics", &m) == 200 && MetricValue(m, "ib_recorder_files{state=\"open\"}") == 0 &&
        MetricValue(m, "ib_recorder_seal_queue_depth") == 0 &&
        MetricValue(m, "ib_recorder_files{state=\"sealed\"}") > 0) {
      std::printf("history sealed: %.0f files\n", MetricValue(m, "ib_recorder_files{state=\"sealed\"}"));
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::printf("history: NOT sealed after 60 s; clients read open files\n");
}

void PrintPhase(const char* name, const Phase& p, int clients) {
  std::printf("  %-7s %9.0f ticks/s  (%llu acked in %.2f s; generator wait %.2f s)  recorder cpu %.2f s, bench cpu %.2f s",
              name, p.rate(), (unsigned long long)p.acked, p.seconds, p.gen_wait, p.recorder_cpu, p.bench_cpu);
  if (clients > 0) {
    std::printf("\n          clients: %.1f queries/s, %.0f ticks/s, %.1f MB/s out, %llu errors",
                static_cast<double>(p.queries) / p.seconds, static_cast<double>(p.query_ticks) / p.seconds,
                static_cast<double>(p.query_bytes) / p.seconds / 1e6, (unsigned long long)p.query_errors);
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  StartBench(argc, argv, o,
             {{"--rounds", Count(&o.rounds)},
              {"--clients", Count(&o.clients)},
              {"--producers", Count(&o.producers)},
              {"--batch", Count(&o.batch)},
              {"--history-minutes", Count(&o.history_minutes)},
              {"--history-rate", Number(&o.history_rate)}},
             "bench/daemon_load_bench.cc");
  if (o.seconds <= 0 || o.rounds < 1 || o.clients < 0 || o.producers < 1 || o.batch < 1 || o.history_minutes < 1 ||
      o.history_rate <= 0) {
    Die("every count and duration must be positive");
  }

  const RecorderLaunch launch = ScratchLaunch(
      o.bin, o.dir, "http", {{"IB_STREAM_TRACKED_CONTRACTS", "711280073:MNQ:bid_ask;last;all_last;mid_point"}});
  RecorderProcess rec(launch);
  std::printf("recorder: %s run --source http, pid %d, port %d, storage %s\n", o.bin.c_str(), rec.pid(), rec.port(),
              launch.storage.c_str());

  // History two hours back: past the seal grace, so the recorder seals it before we measure.
  const TimeUs now = SystemClock::Instance().Now();
  const TimeUs history_start = now - now % kUsPerHour - 2 * kUsPerHour;
  PreloadHistory(o, rec.port(), history_start);

  std::printf("ingest: %ld producer(s), %ld ticks per POST (10 contracts, 4 tick types); load: %ld clients, "
              "1-minute NDJSON ranges, all tick types; %.0f s per phase, %ld round(s)\n",
              o.producers, o.batch, o.clients, o.seconds, o.rounds);
  BodySource bodies(o.batch, static_cast<std::size_t>(4 * o.producers + 8));
  std::vector<Phase> alone, loaded;
  long hwm_alone = 0;
  for (int r = 0; r < o.rounds; ++r) {
    std::printf("round %d\n", r + 1);
    alone.push_back(MeasureIngest(o, rec.port(), rec.pid(), bodies, nullptr));
    PrintPhase("alone", alone.back(), 0);
    if (r == 0) hwm_alone = ProcStatusKb(rec.pid(), "VmHWM");  // before any query load
    QueryLoad load(rec.port(), o.clients, history_start, o.history_minutes);
    // Let every client connect and finish a first query before measuring.
    for (int i = 0; i < 300 && load.queries() + load.errors() < static_cast<std::uint64_t>(o.clients); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    loaded.push_back(MeasureIngest(o, rec.port(), rec.pid(), bodies, &load));
    PrintPhase("loaded", loaded.back(), o.clients);
  }
  const long hwm = ProcStatusKb(rec.pid(), "VmHWM");
  const int rc = rec.Stop();

  Phase a, l;
  for (const auto& p : alone) a.acked += p.acked, a.seconds += p.seconds, a.recorder_cpu += p.recorder_cpu;
  for (const auto& p : loaded) {
    l.acked += p.acked, l.seconds += p.seconds, l.recorder_cpu += p.recorder_cpu, l.bench_cpu += p.bench_cpu;
    l.queries += p.queries, l.query_ticks += p.query_ticks, l.query_errors += p.query_errors;
  }
  std::printf("\n%-52s %14s %14s %8s\n", "measure (all rounds)", "with clients", "alone", "ratio");
  std::printf("%-52s %14.0f %14.0f %8.2f\n", "ingest ticks/s durable (POST /v2/ingest acked)", l.rate(), a.rate(),
              l.rate() / a.rate());
  std::printf("%-52s %14.2f %14.2f\n", "recorder CPU cores busy", l.recorder_cpu / l.seconds,
              a.recorder_cpu / a.seconds);
  std::printf("%-52s %14.1f %14s\n", "client queries/s completed (1-minute NDJSON)",
              static_cast<double>(l.queries) / l.seconds, "-");
  std::printf("%-52s %14.0f %14s\n", "client ticks/s received", static_cast<double>(l.query_ticks) / l.seconds, "-");
  std::printf("%-52s %14llu %14s\n", "client errors", (unsigned long long)l.query_errors, "-");
  std::printf("%-52s %14.1f %14.1f\n", "recorder VmHWM MB (peak resident so far)", hwm / 1024.0, hwm_alone / 1024.0);
  std::printf("\ntarget: ratio >= 0.9 -> %s; recorder exit status %d after SIGTERM\n",
              l.rate() / a.rate() >= 0.9 ? "met" : "NOT met", rc);
  if (!o.keep) fs::remove_all(o.dir);
  return rc == 0 ? 0 : 1;
}
