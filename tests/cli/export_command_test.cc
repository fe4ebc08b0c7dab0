// `ib-recorder export` on a real storage root: ticks across a UTC midnight land
// in one file per contract x day, each byte-identical to `query` over that day
// in the same format, with counts, sizes and SHA-256 in manifest.json; usage
// errors (a format export does not write, a non-empty --to) are exit 2.
#include "cli/export_command.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli/ingest_command.h"
#include "common/sha256.h"

namespace ibr::cli {
namespace {

std::string ExportTestDir() {
  char tmpl[] = "/tmp/ibr-export-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) return "";
  for (const char* v : {"IB_STREAM_STORAGE_PATH", "IB_STREAM_INSTANCE_NAME", "IB_STREAM_ENVIRONMENT"}) ::unsetenv(v);
  return tmpl;
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ExportTick(std::uint32_t cid, const char* type, const std::string& ts, int seq) {
  std::string data = std::string("\"contract_id\":") + std::to_string(cid) + ",\"tick_type\":\"" + type + "\"";
  data += std::string(type) == "last" ? ",\"price\":1.25,\"size\":3.0" : ",\"bid_price\":1.0,\"bid_size\":1.0,\"ask_price\":1.5,\"ask_size\":2.0";
  return "{\"type\":\"tick\",\"stream_id\":\"s\",\"timestamp\":\"" + ts + "\",\"data\":{" + data +
         ",\"sequence\":" + std::to_string(seq) + "}}\n";
}

// `query` of one contract over one UTC day, captured.
std::string QueryDay(const std::string& storage, std::uint32_t cid, const std::string& day, const std::string& next,
                     const std::string& format) {
  QueryOptions q;
  q.storage = storage;
  q.contract = std::to_string(cid);
  q.tick_types = "bid_ask,last,all_last,mid_point";
  q.format = format;
  q.start = day + "T00:00:00Z";
  q.end = next + "T00:00:00Z";
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  EXPECT_EQ(RunQuery(q, SystemClock::Instance(), out, err), 0);
  std::fflush(out);
  std::string text;
  std::rewind(out);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, out)) > 0;) text.append(buf, n);
  std::fclose(out);
  std::fclose(err);
  return text;
}

class RunExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ExportTestDir();
    ASSERT_FALSE(dir_.empty());
    std::ofstream in(dir_ + "/ticks.ndjson");
    int seq = 0;
    for (const char* ts : {"2025-03-10T23:59:58.5Z", "2025-03-10T23:59:59.999999Z", "2025-03-11T00:00:00Z",
                           "2025-03-11T00:00:01Z", "2025-03-11T00:00:02Z"}) {
      const int quote = ++seq;
      const int trade = ++seq;
      in << ExportTick(42, "bid_ask", ts, quote) << ExportTick(42, "last", ts, trade);
    }
    in << ExportTick(43, "last", "2025-03-11T10:00:00Z", ++seq);
    in.close();
    IngestOptions o;
    o.storage = dir_ + "/store";
    o.instance_name = "export-test";
    o.input = dir_ + "/ticks.ndjson";
    ::testing::internal::CaptureStdout();
    ASSERT_EQ(RunIngest(o, SystemClock::Instance()), 0);
    ::testing::internal::GetCapturedStdout();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  ExportOptions Options(const std::string& to, const std::string& format) {
    ExportOptions e;
    e.storage = dir_ + "/store";
    e.to = to;
    e.contracts = "42,43";
    e.format = format;
    e.range.start = "2025-03-10T00:00:00Z";
    e.range.end = "2025-03-12T00:00:00Z";
    return e;
  }
  std::string dir_;
};

TEST_F(RunExportTest, OneFilePerContractAndDayMatchingQueryWithAManifest) {
  for (const std::string format : {"csv", "ndjson"}) {
    const std::string to = dir_ + "/out-" + format;
    ::testing::internal::CaptureStdout();
    ASSERT_EQ(RunExport(Options(to, format), SystemClock::Instance()), 0);
    ::testing::internal::GetCapturedStdout();
    auto m = nlohmann::json::parse(ReadWhole(to + "/manifest.json"));
    ASSERT_EQ(m["files"].size(), 3u) << m;  // 42 on the 10th and the 11th, 43 on the 11th
    std::map<std::string, std::uint64_t> ticks;
    std::uint64_t total = 0, bytes = 0;
    for (const auto& f : m["files"]) {
      const std::string name = f["file"];
      const std::string body = ReadWhole(to + "/" + name);
      Sha256 h;
      h.Update(body);
      EXPECT_EQ(f["sha256"], h.HexDigest()) << name;
      EXPECT_EQ(f["bytes"], body.size()) << name;
      ticks[name] = f["ticks"];
      total += f["ticks"].get<std::uint64_t>();
      bytes += body.size();
      const std::string day = f["day"];
      const std::string next = day == "2025-03-10" ? "2025-03-11" : "2025-03-12";
      EXPECT_EQ(body, QueryDay(dir_ + "/store", f["contract_id"], day, next, format)) << name << ": same bytes as query";
    }
    EXPECT_EQ(ticks["42_2025-03-10." + format], 4u);
    EXPECT_EQ(ticks["42_2025-03-11." + format], 6u);
    EXPECT_EQ(ticks["43_2025-03-11." + format], 1u);
    EXPECT_EQ(m["totals"]["ticks"], 11u);
    EXPECT_EQ(m["totals"]["files"], 3u);
    EXPECT_EQ(m["totals"]["bytes"], bytes);
    EXPECT_EQ(total, 11u);
  }
}

TEST_F(RunExportTest, UsageErrorsAreExitTwoAndWriteNothing) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RunExport(Options(dir_ + "/a", "protobuf"), SystemClock::Instance()), 2);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("export writes csv or ndjson"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/a"));
  std::filesystem::create_directories(dir_ + "/full");
  std::ofstream(dir_ + "/full/x") << "x";
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RunExport(Options(dir_ + "/full", "csv"), SystemClock::Instance()), 2);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("is not empty"), std::string::npos);
  auto bad = Options(dir_ + "/b", "csv");
  bad.contracts = "42,x";
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RunExport(bad, SystemClock::Instance()), 2);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("--contracts: invalid contract id 'x'"), std::string::npos);
}

}  // namespace
}  // namespace ibr::cli
