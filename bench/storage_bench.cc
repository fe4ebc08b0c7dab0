// storage_bench: ingest, sealed size and query throughput of ib-recorder's
// storage engine, each side by side with a baseline run in the same process
// on the same input (ratios matter; absolute numbers on shared 2-core
// machines are noisy). Single-threaded throughout.
//
//   storage_bench [--ticks N] [--dir D]
//
// Baselines:
//   ingest: what ib-stream's JSON storage did — parse each v2 line
//           (nlohmann), re-serialise it, append it to an hourly JSONL file
//           per stream;
//   size:   bytes per tick of those JSONL files;
//   query:  reading those JSONL files back and parsing every line.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/file_system.h"
#include "common/time_text.h"
#include "ingest/simulator.h"
#include "query/output_buffer.h"
#include "query/query_engine.h"
#include "query/tick_encoder.h"
#include "storage/batch_ingest.h"
#include "storage/layout.h"
#include "storage/store.h"

namespace fs = std::filesystem;
using namespace ibr;

namespace {

double Seconds(std::chrono::steady_clock::time_point a) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
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
    it->second << j.dump() << '\n';
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

std::uint64_t RunQuery(const std::string& root, query::OutputFormat format, std::uint64_t* out_bytes) {
  auto cat = catalog::Catalog::Open(storage::CatalogPath(root), catalog::Catalog::Mode::kReadOnly,
                                    SystemClock::Instance());
  if (!cat.ok()) {
    std::fprintf(stderr, "%s\n", cat.status().ToString().c_str());
    std::exit(1);
  }
  std::uint64_t total = 0, bytes = 0;
  for (std::uint32_t cid : {711280073u, 265598u}) {
    query::QueryEngine engine(PosixFileSystem::Instance(), root, **cat);
    query::OutputBuffer out([&](std::string_view chunk) {
      bytes += chunk.size();
      return Status::Ok();
    });
    auto enc = query::MakeTickEncoder(format, out, {});
    query::TickQuery q;
    q.contract_id = cid;
    q.tick_types = {TickType::kBidAsk, TickType::kLast, TickType::kAllLast, TickType::kMidPoint};
    q.ranges = {{*ParseIsoTimestamp("2025-03-10T00:00:00Z"), *ParseIsoTimestamp("2025-03-11T00:00:00Z")}};
    enc->Begin({cid, q.tick_types, q.ranges[0].start, q.ranges[0].end});
    auto r = engine.Run(q, *enc);
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
      std::exit(1);
    }
    enc->Finish();
    total += r->ticks;
  }
  *out_bytes = bytes;
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t ticks = 1'000'000;
  std::string dir = "/tmp/ibr-storage-bench";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--ticks") ticks = std::stoull(argv[i + 1]);
    if (a == "--dir") dir = argv[i + 1];
  }
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string input = dir + "/input.ndjson";

  // Input: the simulator's realistic lines, both message shapes, two contracts.
  ingest::SimulatorOptions so;
  so.contracts = {{711280073, "MNQ"}, {265598, "AAPL"}};
  so.rate = 2000;
  so.start = *ParseIsoTimestamp("2025-03-10T13:30:00Z");
  so.duration = static_cast<TimeUs>(static_cast<double>(ticks) / (so.rate * 2) * kUsPerSecond);
  so.seed = 42;
  {
    int fd = ::open(input.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::uint64_t lines = 0;
    ingest::WriteSimulation(so, fd, &lines);
    ::close(fd);
    ticks = lines;
  }
  std::uint64_t input_bytes = fs::file_size(input);
  std::printf("input: %llu ticks, %.1f bytes/line (v2 NDJSON)\n", (unsigned long long)ticks,
              static_cast<double>(input_bytes) / static_cast<double>(ticks));

  // Warm the page cache so both sides read from memory.
  { std::ifstream in(input, std::ios::binary); std::string s((std::istreambuf_iterator<char>(in)), {}); }

  auto t0 = std::chrono::steady_clock::now();
  std::uint64_t base_n = BaselineJsonlIngest(input, dir + "/jsonl");
  double base_ingest = Seconds(t0);

  std::string root = dir + "/store";
  storage::StoreOptions o;
  o.root = root;
  o.instance_name = "bench";
  o.seal_grace = 300 * kUsPerSecond;
  double ours_ingest = 0, seal = 0;
  {
    auto store = storage::Store::Open(o, PosixFileSystem::Instance(), SystemClock::Instance());
    if (!store.ok()) {
      std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
      return 1;
    }
    int fd = ::open(input.c_str(), O_RDONLY);
    storage::BatchIngestOptions bo;
    bo.source_name = input;
    bo.seal = false;
    t0 = std::chrono::steady_clock::now();
    auto r = storage::IngestFromFd(**store, fd, bo);
    ours_ingest = Seconds(t0);
    ::close(fd);
    if (!r.ok() || r->accepted != static_cast<std::int64_t>(ticks)) {
      std::fprintf(stderr, "ingest failed: %s\n", r.ok() ? "count" : r.status().ToString().c_str());
      return 1;
    }
    t0 = std::chrono::steady_clock::now();
    auto s = (*store)->SealDue();
    seal = Seconds(t0);
    if (!s.ok()) return 1;
  }
  std::uint64_t sealed = DirBytes(root + "/protobuf", ".pb.lz4");
  std::uint64_t jsonl = DirBytes(dir + "/jsonl", ".jsonl");

  t0 = std::chrono::steady_clock::now();
  std::uint64_t read_n = BaselineJsonlRead(dir + "/jsonl");
  double base_read = Seconds(t0);
  std::uint64_t nd_bytes = 0, pb_bytes = 0;
  t0 = std::chrono::steady_clock::now();
  std::uint64_t nd_n = RunQuery(root, query::OutputFormat::kNdjson, &nd_bytes);
  double nd = Seconds(t0);
  t0 = std::chrono::steady_clock::now();
  std::uint64_t pb_n = RunQuery(root, query::OutputFormat::kProtobuf, &pb_bytes);
  double pb = Seconds(t0);

  auto rate = [](std::uint64_t n, double s) { return static_cast<double>(n) / s; };
  std::printf("\n%-46s %14s %14s %8s\n", "measure (one core)", "ib-recorder", "baseline", "ratio");
  std::printf("%-46s %14.0f %14.0f %7.1fx\n", "ingest ticks/s (files + catalog, no seal)", rate(ticks, ours_ingest),
              rate(base_n, base_ingest), rate(ticks, ours_ingest) / rate(base_n, base_ingest));
  std::printf("%-46s %14.0f %14s\n", "seal ticks/s (LZ4 HC level 4)", rate(ticks, seal), "-");
  std::printf("%-46s %14.0f %14.0f %7.1fx\n", "ingest+seal ticks/s", rate(ticks, ours_ingest + seal),
              rate(base_n, base_ingest), rate(ticks, ours_ingest + seal) / rate(base_n, base_ingest));
  std::printf("%-46s %14.1f %14.1f %7.1fx\n", "stored bytes/tick (sealed vs JSONL)",
              static_cast<double>(sealed) / static_cast<double>(ticks),
              static_cast<double>(jsonl) / static_cast<double>(base_n),
              (static_cast<double>(jsonl) / static_cast<double>(base_n)) /
                  (static_cast<double>(sealed) / static_cast<double>(ticks)));
  std::printf("%-46s %14.0f %14.0f %7.1fx\n", "query ticks/s, NDJSON out (vs JSONL read+parse)", rate(nd_n, nd),
              rate(read_n, base_read), rate(nd_n, nd) / rate(read_n, base_read));
  std::printf("%-46s %14.0f %14.0f %7.1fx\n", "query ticks/s, protobuf frames out", rate(pb_n, pb),
              rate(read_n, base_read), rate(pb_n, pb) / rate(read_n, base_read));
  std::printf("\nNDJSON out %.1f bytes/tick, protobuf out %.1f bytes/tick; %llu/%llu ticks returned\n",
              static_cast<double>(nd_bytes) / static_cast<double>(nd_n),
              static_cast<double>(pb_bytes) / static_cast<double>(pb_n), (unsigned long long)nd_n,
              (unsigned long long)pb_n);
  if (nd_n != ticks || pb_n != ticks) {
    std::fprintf(stderr, "query returned %llu/%llu of %llu ticks\n", (unsigned long long)nd_n,
                 (unsigned long long)pb_n, (unsigned long long)ticks);
    return 1;
  }
  fs::remove_all(dir);
  return 0;
}
