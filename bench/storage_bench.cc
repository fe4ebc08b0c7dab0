// storage_bench: ingest, sealed size and query throughput of ib-recorder's
// storage engine, each side by side with a baseline run in the same process
// on the same input (ratios matter; absolute numbers on shared 2-core
// machines are noisy). Single-threaded throughout.
//
//   storage_bench [--ticks N] [--hour-ticks N] [--dir D] [--lz4-level L]
//   storage_bench --seek 1 [--hour-ticks N]   range cost in a sealed busy hour
//   storage_bench --profile ndjson|protobuf[-minute]   busy hour (or a minute of it) queried in a loop
//
// Queries are also run through the previous query path (every file decoded
// whole into a vector of ticks, then merged) in the same run, and a separate
// store holding one contract's busy hour (--hour-ticks, default 300,000, all
// four tick types) measures the latency of answering that hour.
//
// Baselines:
//   ingest: what ib-stream's JSON storage did — parse each v2 line
//           (nlohmann), re-serialise it, append it to an hourly JSONL file
//           per stream;
//   size:   bytes per tick of those JSONL files;
//   query:  reading those JSONL files back and parsing every line.
#include <fcntl.h>
#include <unistd.h>

#include <time.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <algorithm>

#include "catalog/catalog.h"
#include "common/json_text.h"
#include "format/frame.h"
#include "format/lz4_frame.h"
#include "format/tick_file.h"
#include "format/tick_file_cursor.h"
#include "common/file_system.h"
#include "common/time_text.h"
#include "ingest/simulator.h"
#include "query/output_buffer.h"
#include "query/query_engine.h"
#include "query/tick_encoder.h"
#include "query/tick_merger.h"
#include "storage/batch_ingest.h"
#include "storage/layout.h"
#include "storage/store.h"

namespace fs = std::filesystem;
using namespace ibr;

namespace {

double Seconds(std::chrono::steady_clock::time_point a) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
}

// CPU time of this thread: on a shared, overloaded machine wall time also
// counts the time other jobs held the core.
double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::uint64_t DirBytes(const std::string& dir, const std::string& suffix) {
  std::uint64_t n = 0;
  for (auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().string().ends_with(suffix)) n += e.file_size();
  }
  return n;
}

// ib-stream's JSON storage, in C++: parse, dump, append to {hour}/{stream_id}.jsonl.
std::uint64_t BaselineJsonlIngest(const std::string& input, const std::string& out_dir) {
  std::ifstream in(input);
  std::string line;
  std::map<std::string, std::ofstream> files;
  std::uint64_t n = 0;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;
    std::string ts = j.value("timestamp", "");
    std::string key = ts.substr(0, 13) + "/" + j.value("stream_id", "x") + ".jsonl";
    auto it = files.find(key);
    if (it == files.end()) {
      fs::create_directories(fs::path(out_dir + "/" + key).parent_path());
      it = files.emplace(key, std::ofstream(out_dir + "/" + key, std::ios::app)).first;
    }
    it->second << ibr::SafeDump(j) << '\n';
    ++n;
  }
  for (auto& [k, f] : files) f.flush();
  return n;
}

std::uint64_t BaselineJsonlRead(const std::string& dir) {
  std::uint64_t n = 0;
  std::string line;
  for (auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path());
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_discarded()) ++n;
    }
  }
  return n;
}

constexpr TickType kAllTypes[] = {TickType::kBidAsk, TickType::kLast, TickType::kAllLast, TickType::kMidPoint};

std::unique_ptr<catalog::Catalog> OpenCatalog(const std::string& root) {
  auto cat = catalog::Catalog::Open(storage::CatalogPath(root), catalog::Catalog::Mode::kReadOnly,
                                    SystemClock::Instance());
  if (!cat.ok()) {
    std::fprintf(stderr, "%s\n", cat.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(cat).value();
}

void Check(const Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    std::exit(1);
  }
}

// The previous query path, kept here as a baseline: every overlapping file
// read and decoded whole into a vector<Tick> (with copies of the raw bodies
// for protobuf), then merged.
std::uint64_t WholeFileQuery(FileSystem& fs, const std::string& root, catalog::Catalog& cat, std::uint32_t cid,
                             query::TimeRange range, query::TickSink& sink) {
  const bool raw = sink.WantsRawBodies();
  query::TickMerger merger;
  for (TickType tt : kAllTypes) {
    auto rows = cat.FindFiles(cid, tt, range.start, range.end);
    Check(rows.status());
    for (const auto& row : *rows) {
      auto bytes = fs.ReadFile(storage::JoinPath(root, row.file_path));
      Check(bytes.status());
      auto c = format::DecodeTickFile(std::move(bytes).value(), format::KindFromPath(row.file_path), raw);
      Check(c.status());
      merger.AddFile(std::move(c).value(), range);
    }
  }
  std::uint64_t n = 0;
  std::string_view body;
  while (!merger.Done()) {
    const Tick& t = merger.Pop(raw ? &body : nullptr);
    Check(sink.OnTick(t, body));
    ++n;
  }
  return n;
}

// Queries contracts `cids` over `range`, all tick types, in `format`; counts
// output bytes. `whole_files`: through WholeFileQuery instead of QueryEngine.
std::uint64_t RunQuery(const std::string& root, const std::vector<std::uint32_t>& cids, query::TimeRange range,
                       query::OutputFormat format, bool whole_files, std::uint64_t* out_bytes) {
  auto cat = OpenCatalog(root);
  std::uint64_t total = 0, bytes = 0;
  for (std::uint32_t cid : cids) {
    query::OutputBuffer out([&](std::string_view chunk) {
      bytes += chunk.size();
      return Status::Ok();
    });
    auto enc = query::MakeTickEncoder(format, out, {});
    query::TickQuery q;
    q.contract_id = cid;
    q.tick_types.assign(std::begin(kAllTypes), std::end(kAllTypes));
    q.ranges = {range};
    Check(enc->Begin({cid, q.tick_types, range.start, range.end}));
    if (whole_files) {
      total += WholeFileQuery(PosixFileSystem::Instance(), root, *cat, cid, range, *enc);
    } else {
      query::QueryEngine engine(PosixFileSystem::Instance(), root, *cat);
      auto r = engine.Run(q, *enc);
      Check(r.status());
      total += r->ticks;
    }
    Check(enc->Finish());
  }
  *out_bytes = bytes;
  return total;
}

struct Timed {
  double best = 1e9;     // wall seconds, best of the runs
  double median = 0;
  double cpu = 1e9;      // thread CPU seconds, best of the runs
  std::uint64_t ticks = 0;
  std::uint64_t bytes = 0;
};

// Runs `f` `runs` times (after one warm-up run); best and median wall time.
template <typename F>
Timed TimeRuns(int runs, F f) {
  Timed t;
  t.ticks = f(&t.bytes);
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    const double c0 = ThreadCpuSeconds();
    t.ticks = f(&t.bytes);
    t.cpu = std::min(t.cpu, ThreadCpuSeconds() - c0);
    times.push_back(Seconds(t0));
  }
  std::sort(times.begin(), times.end());
  t.best = times.front();
  t.median = times[times.size() / 2];
  return t;
}

// One contract's busy hour: `ticks` ticks of all four tick types in 2025-03-11 14:00-15:00 UTC.
ingest::SimulatorOptions BusyHour(std::uint64_t ticks) {
  ingest::SimulatorOptions ho;
  ho.contracts = {{711280073, "MNQ"}};
  ho.rate = static_cast<double>(ticks) / 3600.0;
  ho.start = *ParseIsoTimestamp("2025-03-11T14:00:00Z");
  ho.duration = kUsPerHour;
  ho.seed = 7;
  return ho;
}

// Simulated v2 NDJSON into `input`; returns the number of lines.
std::uint64_t WriteInput(const ingest::SimulatorOptions& so, const std::string& input) {
  int fd = ::open(input.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::uint64_t lines = 0;
  ingest::WriteSimulation(so, fd, &lines);
  ::close(fd);
  return lines;
}

// Ingests `input` into a new store at `root` and seals it; seconds spent in each.
int g_lz4_level = 4;  // --lz4-level

void IngestAndSeal(const std::string& input, const std::string& root, std::uint64_t expect, double* ingest_s,
                   double* seal_s) {
  storage::StoreOptions o;
  o.lz4_level = g_lz4_level;
  o.root = root;
  o.instance_name = "bench";
  o.seal_grace = 300 * kUsPerSecond;
  auto store = storage::Store::Open(o, PosixFileSystem::Instance(), SystemClock::Instance());
  Check(store.status());
  int fd = ::open(input.c_str(), O_RDONLY);
  storage::BatchIngestOptions bo;
  bo.source_name = input;
  bo.seal = false;
  auto t0 = std::chrono::steady_clock::now();
  auto r = storage::IngestFromFd(**store, fd, bo);
  *ingest_s = Seconds(t0);
  ::close(fd);
  if (!r.ok() || r->accepted != static_cast<std::int64_t>(expect)) {
    std::fprintf(stderr, "ingest failed: %s\n", r.ok() ? "count" : r.status().ToString().c_str());
    std::exit(1);
  }
  t0 = std::chrono::steady_clock::now();
  Check((*store)->SealDue().status());
  *seal_s = Seconds(t0);
}

// Peak resident memory since the last ResetPeakRss(), in MB (VmHWM).
double PeakRssMb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}
void ResetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

// The sealer before it streamed (until 2026-11-25): the whole open file read,
// a vector of (key, body view) per tick, the whole content in memory, then
// compressed in one call. Kept here only to measure against; writes nothing.
void OldSealInMemory(const std::string& path, int level) {
  auto bytes = PosixFileSystem::Instance().ReadFile(path);
  Check(bytes.status());
  struct Entry {
    TimeUs ts;
    std::uint64_t seq;
    std::string_view body;
  };
  const std::size_t file_size = bytes->size();
  format::TickFileCursor cursor;
  Check(cursor.Open(std::move(bytes).value(), format::TickFileKind::kOpen, format::TickDecode::kFull));
  std::vector<Entry> entries;
  entries.reserve(file_size / 100);
  std::size_t body_bytes = 0;
  while (cursor.Next()) {
    entries.push_back({cursor.tick().timestamp_us, cursor.tick().arrival_seq, cursor.body()});
    body_bytes += cursor.body().size();
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.ts != b.ts ? a.ts < b.ts : a.seq < b.seq;
  });
  format::FileHeaderInfo header = cursor.header();
  header.compression = "lz4";
  std::string content;
  content.reserve(64 + 4 * entries.size() + body_bytes);
  format::AppendFrame(content, format::EncodeFileHeader(header));
  for (const Entry& e : entries) format::AppendFrame(content, e.body);
  auto compressed = format::Lz4CompressFrame(content, level);
  Check(compressed.status());
}

// --seal-memory N: one open file of N quotes (one contract, bid_ask, one
// hour), then peak RSS and time of sealing it, the old in-memory way and
// the current streaming sealer (in that order; the peak is reset between).
int SealMemory(const std::string& dir, std::uint64_t n, bool shuffled) {
  storage::StoreOptions o;
  o.root = dir + "/seal-store";
  o.instance_name = "bench";
  o.seal_grace = 300 * kUsPerSecond;
  o.max_file_bytes = 4ull << 30;
  auto store = storage::Store::Open(o, PosixFileSystem::Instance(), SystemClock::Instance());
  Check(store.status());
  const TimeUs hour = *ParseIsoTimestamp("2025-03-11T14:00:00Z");
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t k = i;
    if (shuffled && i % 10 == 9) k = i - 5;  // every tenth tick arrives late
    Tick t;
    t.contract_id = 711280073;
    t.tick_type = TickType::kBidAsk;
    t.timestamp_us = hour + static_cast<TimeUs>(k * (kUsPerHour / (n + 1)));
    t.stream_id = "bg_711280073_bid_ask";
    t.bid_price = 23260.0 + static_cast<double>(i % 17) * 0.25;
    t.ask_price = *t.bid_price + 0.25;
    t.bid_size = static_cast<double>(1 + i % 9);
    t.ask_size = static_cast<double>(1 + i % 7);
    t.unix_time = t.timestamp_us / kUsPerSecond;
    Check((*store)->writer().Append(t));
  }
  Check((*store)->writer().Flush().status());
  auto rows = (*store)->catalog().ListTickFiles(catalog::FileStatus::kOpen);
  Check(rows.status());
  if (rows->size() != 1) {
    std::fprintf(stderr, "expected one open file, found %zu\n", rows->size());
    return 1;
  }
  const std::string path = o.root + "/" + (*rows)[0].file_path;
  const double open_mb = static_cast<double>(fs::file_size(path)) / 1e6;
  ResetPeakRss();
  const double base_mb = PeakRssMb();
  auto t0 = std::chrono::steady_clock::now();
  OldSealInMemory(path, o.lz4_level);
  const double old_s = Seconds(t0);
  const double old_mb = PeakRssMb();
  ResetPeakRss();
  const double base2_mb = PeakRssMb();
  t0 = std::chrono::steady_clock::now();
  auto sealed = (*store)->SealHoursEndingBy(hour + kUsPerHour);
  const double new_s = Seconds(t0);
  const double new_mb = PeakRssMb();
  Check(sealed.status());
  std::printf("seal of one open hour file: %llu ticks (%s), %.1f MB open\n", (unsigned long long)n,
              shuffled ? "every 10th tick late" : "in order", open_mb);
  std::printf("%-36s %10s %14s %10s\n", "", "peak RSS", "above before", "seconds");
  std::printf("%-36s %8.1f MB %11.1f MB %10.2f\n", "old (whole file in memory)", old_mb, old_mb - base_mb, old_s);
  std::printf("%-36s %8.1f MB %11.1f MB %10.2f\n", "streaming sealer", new_mb, new_mb - base2_mb, new_s);
  return 0;
}

// --seek: a 1-minute range and the whole hour of a sealed busy hour, each
// minus the fixed cost of a range that holds no tick (catalog, file opens,
// block index, the one segment it inflates); cost should follow the result.
int SeekCost(const std::string& dir, std::uint64_t hour_ticks) {
  const ingest::SimulatorOptions ho = BusyHour(hour_ticks);
  hour_ticks = WriteInput(ho, dir + "/hour.ndjson");
  double ingest_s = 0, seal_s = 0;
  const std::string root = dir + "/hour-store";
  IngestAndSeal(dir + "/hour.ndjson", root, hour_ticks, &ingest_s, &seal_s);
  const std::uint64_t sealed = DirBytes(root + "/protobuf", ".pb.lz4");
  const TimeUs mid = ho.start + 30 * 60 * kUsPerSecond + 123'457;
  struct Case {
    const char* name;
    query::TimeRange range;
  };
  const Case cases[] = {{"empty range (1 us)", {mid, mid + 1}},
                        {"1 minute", {mid, mid + 60 * kUsPerSecond}},
                        {"whole hour", {ho.start, ho.start + kUsPerHour}}};
  std::printf("busy hour: %llu ticks, 4 tick types, sealed %.2f bytes/tick (LZ4 level %d), sealing %.2f s\n",
              (unsigned long long)hour_ticks, static_cast<double>(sealed) / static_cast<double>(hour_ticks),
              g_lz4_level, seal_s);
  for (query::OutputFormat f : {query::OutputFormat::kNdjson, query::OutputFormat::kProtobuf}) {
    Timed t[3];
    for (int i = 0; i < 3; ++i) {
      t[i] = TimeRuns(15, [&](std::uint64_t* b) { return RunQuery(root, {711280073u}, cases[i].range, f, false, b); });
    }
    const char* fname = f == query::OutputFormat::kNdjson ? "NDJSON" : "protobuf";
    for (int i = 0; i < 3; ++i) {
      std::printf("  %-8s %-20s %8llu ticks  best %8.3f ms  median %8.3f ms  CPU %8.3f ms\n", fname, cases[i].name,
                  (unsigned long long)t[i].ticks, t[i].best * 1e3, t[i].median * 1e3, t[i].cpu * 1e3);
    }
    std::printf("  %-8s (1 minute - empty) / (hour - empty): wall %.4f, median %.4f, CPU %.4f (target <= 0.03)\n",
                fname, (t[1].best - t[0].best) / (t[2].best - t[0].best),
                (t[1].median - t[0].median) / (t[2].median - t[0].median),
                (t[1].cpu - t[0].cpu) / (t[2].cpu - t[0].cpu));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t ticks = 1'000'000;
  std::uint64_t hour_ticks = 300'000;
  std::string dir = "/tmp/ibr-storage-bench";
  std::string profile;  // "ndjson" or "protobuf": only the busy-hour query in a loop, for a profiler
  std::uint64_t seal_memory = 0;  // --seal-memory N: only the sealing memory comparison
  bool seal_shuffled = false;
  bool seek = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--ticks") ticks = std::stoull(argv[i + 1]);
    if (a == "--hour-ticks") hour_ticks = std::stoull(argv[i + 1]);
    if (a == "--dir") dir = argv[i + 1];
    if (a == "--profile") profile = argv[i + 1];
    if (a == "--seal-memory") seal_memory = std::stoull(argv[i + 1]);
    if (a == "--seal-order") seal_shuffled = std::string(argv[i + 1]) == "late";
    if (a == "--lz4-level") g_lz4_level = std::stoi(argv[i + 1]);
    if (a == "--seek") seek = std::string(argv[i + 1]) != "0";
  }
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string input = dir + "/input.ndjson";
  if (seal_memory > 0) {
    const int rc = SealMemory(dir, seal_memory, seal_shuffled);
    fs::remove_all(dir);
    return rc;
  }

  if (seek) {
    const int rc = SeekCost(dir, hour_ticks);
    fs::remove_all(dir);
    return rc;
  }

  if (!profile.empty()) {  // the busy hour only, queried 20 times through the engine
    const ingest::SimulatorOptions ho = BusyHour(hour_ticks);
    hour_ticks = WriteInput(ho, dir + "/hour.ndjson");
    double ingest_s = 0, seal_s = 0;
    IngestAndSeal(dir + "/hour.ndjson", dir + "/hour-store", hour_ticks, &ingest_s, &seal_s);
    const auto f = profile.rfind("protobuf", 0) == 0 ? query::OutputFormat::kProtobuf : query::OutputFormat::kNdjson;
    // "...-minute": a 1-minute range in the middle of the hour, 200 times.
    const bool minute = profile.size() > 7 && profile.substr(profile.size() - 7) == "-minute";
    const TimeUs mid = ho.start + 30 * 60 * kUsPerSecond + 123'457;
    const query::TimeRange range =
        minute ? query::TimeRange{mid, mid + 60 * kUsPerSecond} : query::TimeRange{ho.start, ho.start + kUsPerHour};
    Timed t = TimeRuns(minute ? 200 : 20,
                       [&](std::uint64_t* b) { return RunQuery(dir + "/hour-store", {711280073u}, range, f, false, b); });
    std::printf("%s: %llu ticks, best %.1f ms, median %.1f ms, CPU %.1f ms\n", profile.c_str(),
                (unsigned long long)t.ticks, t.best * 1e3, t.median * 1e3, t.cpu * 1e3);
    if (std::getenv("IBR_BENCH_KEEP") == nullptr) fs::remove_all(dir);
    return 0;
  }

  // Input: the simulator's realistic lines, both message shapes, two contracts.
  ingest::SimulatorOptions so;
  so.contracts = {{711280073, "MNQ"}, {265598, "AAPL"}};
  so.rate = 2000;
  so.start = *ParseIsoTimestamp("2025-03-10T13:30:00Z");
  so.duration = static_cast<TimeUs>(static_cast<double>(ticks) / (so.rate * 2) * kUsPerSecond);
  so.seed = 42;
  ticks = WriteInput(so, input);
  std::uint64_t input_bytes = fs::file_size(input);
  std::printf("input: %llu ticks, %.1f bytes/line (v2 NDJSON)\n", (unsigned long long)ticks,
              static_cast<double>(input_bytes) / static_cast<double>(ticks));

  // Warm the page cache so both sides read from memory.
  { std::ifstream in(input, std::ios::binary); std::string s((std::istreambuf_iterator<char>(in)), {}); }

  auto t0 = std::chrono::steady_clock::now();
  std::uint64_t base_n = BaselineJsonlIngest(input, dir + "/jsonl");
  double base_ingest = Seconds(t0);

  std::string root = dir + "/store";
  double ours_ingest = 0, seal = 0;
  IngestAndSeal(input, root, ticks, &ours_ingest, &seal);
  std::uint64_t sealed = DirBytes(root + "/protobuf", ".pb.lz4");
  std::uint64_t jsonl = DirBytes(dir + "/jsonl", ".jsonl");

  t0 = std::chrono::steady_clock::now();
  std::uint64_t read_n = BaselineJsonlRead(dir + "/jsonl");
  double base_read = Seconds(t0);
  const query::TimeRange day{*ParseIsoTimestamp("2025-03-10T00:00:00Z"), *ParseIsoTimestamp("2025-03-11T00:00:00Z")};
  const std::vector<std::uint32_t> both = {711280073u, 265598u};
  auto query = [&](query::OutputFormat f, bool whole) {
    return TimeRuns(3, [&](std::uint64_t* b) { return RunQuery(root, both, day, f, whole, b); });
  };
  Timed nd = query(query::OutputFormat::kNdjson, false);
  Timed pb = query(query::OutputFormat::kProtobuf, false);
  Timed nd_old = query(query::OutputFormat::kNdjson, true);
  Timed pb_old = query(query::OutputFormat::kProtobuf, true);

  // The busy hour: one contract, all four tick types, hour_ticks ticks in one UTC hour.
  const ingest::SimulatorOptions ho = BusyHour(hour_ticks);
  std::string hour_input = dir + "/hour.ndjson";
  hour_ticks = WriteInput(ho, hour_input);
  BaselineJsonlIngest(hour_input, dir + "/hour-jsonl");
  std::string hour_root = dir + "/hour-store";
  double hour_ingest = 0, hour_seal = 0;
  IngestAndSeal(hour_input, hour_root, hour_ticks, &hour_ingest, &hour_seal);
  const query::TimeRange hour{ho.start, ho.start + kUsPerHour};
  auto hour_query = [&](query::OutputFormat f, bool whole) {
    return TimeRuns(5, [&](std::uint64_t* b) { return RunQuery(hour_root, {711280073u}, hour, f, whole, b); });
  };
  Timed h_nd = hour_query(query::OutputFormat::kNdjson, false);
  Timed h_pb = hour_query(query::OutputFormat::kProtobuf, false);
  Timed h_nd_old = hour_query(query::OutputFormat::kNdjson, true);
  Timed h_pb_old = hour_query(query::OutputFormat::kProtobuf, true);
  Timed h_jsonl = TimeRuns(5, [&](std::uint64_t* b) {
    *b = 0;
    return BaselineJsonlRead(dir + "/hour-jsonl");
  });

  auto rate = [](std::uint64_t n, double s) { return static_cast<double>(n) / s; };
  const char* row = "%-50s %14.0f %14.0f %7.1fx\n";
  std::printf("\n%-50s %14s %14s %8s\n", "measure (one core)", "ib-recorder", "baseline", "ratio");
  std::printf(row, "ingest ticks/s (files + catalog, no seal)", rate(ticks, ours_ingest), rate(base_n, base_ingest),
              rate(ticks, ours_ingest) / rate(base_n, base_ingest));
  std::printf("%-50s %14.0f %14s\n", "seal ticks/s (LZ4 level --lz4-level)", rate(ticks, seal), "-");
  std::printf(row, "ingest+seal ticks/s", rate(ticks, ours_ingest + seal), rate(base_n, base_ingest),
              rate(ticks, ours_ingest + seal) / rate(base_n, base_ingest));
  std::printf("%-50s %14.1f %14.1f %7.1fx\n", "stored bytes/tick (sealed vs JSONL)",
              static_cast<double>(sealed) / static_cast<double>(ticks),
              static_cast<double>(jsonl) / static_cast<double>(base_n),
              (static_cast<double>(jsonl) / static_cast<double>(base_n)) /
                  (static_cast<double>(sealed) / static_cast<double>(ticks)));
  const double jsonl_rate = rate(read_n, base_read);
  std::printf(row, "query ticks/s, NDJSON out (vs JSONL read+parse)", rate(nd.ticks, nd.best), jsonl_rate,
              rate(nd.ticks, nd.best) / jsonl_rate);
  std::printf(row, "query ticks/s, protobuf out (vs JSONL read+parse)", rate(pb.ticks, pb.best), jsonl_rate,
              rate(pb.ticks, pb.best) / jsonl_rate);
  std::printf(row, "query ticks/s, NDJSON out (vs whole-file path)", rate(nd.ticks, nd.best),
              rate(nd_old.ticks, nd_old.best), nd_old.best / nd.best);
  std::printf(row, "query ticks/s, protobuf out (vs whole-file path)", rate(pb.ticks, pb.best),
              rate(pb_old.ticks, pb_old.best), pb_old.best / pb.best);
  const char* lat = "%-50s %11.1f ms %11.1f ms %7.1fx\n";
  std::printf("\nbusy hour: %llu ticks of one contract, 4 tick types (best of 5; median in brackets)\n",
              (unsigned long long)hour_ticks);
  std::printf("%-50s %14s %14s %8s\n", "latency", "ib-recorder", "baseline", "ratio");
  std::printf(lat, "hour as NDJSON (vs JSONL read+parse)", h_nd.best * 1e3, h_jsonl.best * 1e3,
              h_jsonl.best / h_nd.best);
  std::printf(lat, "hour as NDJSON (vs whole-file path)", h_nd.best * 1e3, h_nd_old.best * 1e3,
              h_nd_old.best / h_nd.best);
  std::printf(lat, "hour as protobuf (vs whole-file path)", h_pb.best * 1e3, h_pb_old.best * 1e3,
              h_pb_old.best / h_pb.best);
  std::printf("  medians: NDJSON %.1f ms, protobuf %.1f ms, whole-file NDJSON %.1f ms, protobuf %.1f ms, JSONL %.1f ms\n",
              h_nd.median * 1e3, h_pb.median * 1e3, h_nd_old.median * 1e3, h_pb_old.median * 1e3,
              h_jsonl.median * 1e3);

  std::printf("\nagainst DESIGN.md's query targets (per core; wall time, then CPU time of the query thread):\n");
  auto target = [](const char* what, double got, double got_cpu, double want, bool higher_better, const char* unit) {
    auto verdict = [&](double v) {
      const bool met = higher_better ? v >= want : v <= want;
      return std::string(met ? "met" : "NOT met") + " (" +
             std::to_string(higher_better ? v / want : want / v).substr(0, 4) + "x of target)";
    };
    std::printf("  %-22s target %s %6.1f %-4s wall %7.1f: %-24s CPU %7.1f: %s\n", what, higher_better ? ">=" : "<=",
                want, unit, got, verdict(got).c_str(), got_cpu, verdict(got_cpu).c_str());
  };
  target("NDJSON out", rate(nd.ticks, nd.best) / 1e6, rate(nd.ticks, nd.cpu) / 1e6, 2.5, true, "M/s");
  target("protobuf out", rate(pb.ticks, pb.best) / 1e6, rate(pb.ticks, pb.cpu) / 1e6, 10.0, true, "M/s");
  target("busy hour as NDJSON", h_nd.best * 1e3, h_nd.cpu * 1e3, 150.0, false, "ms");
  std::printf("  (CPU, whole-file path: NDJSON %.2f M/s, protobuf %.2f M/s, busy hour NDJSON %.1f ms)\n",
              rate(nd_old.ticks, nd_old.cpu) / 1e6, rate(pb_old.ticks, pb_old.cpu) / 1e6, h_nd_old.cpu * 1e3);
  std::printf("\nNDJSON out %.1f bytes/tick, protobuf out %.1f bytes/tick; %llu/%llu ticks returned\n",
              static_cast<double>(nd.bytes) / static_cast<double>(nd.ticks),
              static_cast<double>(pb.bytes) / static_cast<double>(pb.ticks), (unsigned long long)nd.ticks,
              (unsigned long long)pb.ticks);
  bool ok = nd.ticks == ticks && pb.ticks == ticks && nd_old.ticks == ticks && pb_old.ticks == ticks &&
            h_nd.ticks == hour_ticks && h_pb.ticks == hour_ticks && nd.bytes == nd_old.bytes &&
            pb.bytes == pb_old.bytes && h_nd.bytes == h_nd_old.bytes;
  if (!ok) {
    std::fprintf(stderr, "query results differ: ticks %llu/%llu/%llu/%llu of %llu, hour %llu/%llu of %llu\n",
                 (unsigned long long)nd.ticks, (unsigned long long)pb.ticks, (unsigned long long)nd_old.ticks,
                 (unsigned long long)pb_old.ticks, (unsigned long long)ticks, (unsigned long long)h_nd.ticks,
                 (unsigned long long)h_pb.ticks, (unsigned long long)hour_ticks);
    return 1;
  }
  fs::remove_all(dir);
  return 0;
}
