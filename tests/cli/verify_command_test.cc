// `ib-recorder verify [--repair] [--json]` on a real storage root: empty files,
// orphan files and orphan catalog rows in the JSON report, then repaired.
#include "cli/verify_command.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "catalog/catalog.h"
#include "common/time_text.h"
#include "cli/ingest_command.h"
#include "storage/layout.h"

namespace ibr::cli {
namespace {

std::string VerifyTestDir() {
  char tmpl[] = "/tmp/ibr-verify-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) return "";
  for (const char* v : {"IB_STREAM_STORAGE_PATH", "IB_STREAM_INSTANCE_NAME", "IB_STREAM_ENVIRONMENT"}) ::unsetenv(v);
  return tmpl;
}

std::string VerifyTickLine(std::uint32_t cid, const char* ts) {
  return std::string("{\"type\":\"tick\",\"stream_id\":\"s\",\"timestamp\":\"") + ts +
         "\",\"data\":{\"contract_id\":" + std::to_string(cid) + ",\"tick_type\":\"last\",\"price\":1.5,\"size\":2.0}}\n";
}

nlohmann::json VerifyJson(const std::string& storage, bool repair, int* code) {
  VerifyOptions o;
  o.storage = storage;
  o.json = true;
  o.repair = repair;
  ::testing::internal::CaptureStdout();
  *code = RunVerify(o, SystemClock::Instance());
  std::string out = ::testing::internal::GetCapturedStdout();
  return nlohmann::json::parse(out, nullptr, false);
}

TEST(RunVerify, ReportsEmptyAndOrphanFilesInJsonAndRepairsThem) {
  const std::string dir = VerifyTestDir();
  ASSERT_FALSE(dir.empty());
  {
    std::ofstream in(dir + "/ticks.ndjson");
    in << VerifyTickLine(42, "2025-03-10T14:00:00Z") << VerifyTickLine(43, "2025-03-10T14:00:01Z")
       << VerifyTickLine(43, "2025-03-10T15:00:01Z");
  }
  IngestOptions ingest;
  ingest.storage = dir + "/store";
  ingest.instance_name = "verify-test";
  ingest.input = dir + "/ticks.ndjson";
  ::testing::internal::CaptureStdout();
  ASSERT_EQ(RunIngest(ingest, SystemClock::Instance()), 0);
  ::testing::internal::GetCapturedStdout();
  const std::string root = ingest.storage;
  const std::string f42 = "protobuf/42/last/2025/03/10/14_ticks.pb.lz4";
  const std::string f43 = "protobuf/43/last/2025/03/10/15_ticks.pb.lz4";
  ASSERT_TRUE(std::filesystem::exists(root + "/" + f42));
  {
    auto cat = catalog::Catalog::Open(storage::CatalogPath(root), catalog::Catalog::Mode::kReadWrite, SystemClock::Instance());
    ASSERT_TRUE(cat.ok());
    ASSERT_TRUE((*cat)->DeleteTickFile(42, TickType::kLast, *ParseIsoTimestamp("2025-03-10T14:00:00Z"), 1).ok());
  }
  std::filesystem::remove(root + "/" + f43);
  std::filesystem::create_directories(root + "/protobuf/44/last/2025/03/10");
  std::ofstream(root + "/protobuf/44/last/2025/03/10/13_ticks.pb");

  int code = -1;
  auto j = VerifyJson(root, false, &code);
  EXPECT_EQ(code, 1);
  ASSERT_TRUE(j.is_object()) << j;
  EXPECT_EQ(j["empty_files"], 1);
  EXPECT_EQ(j["orphan_files"], 1);
  EXPECT_EQ(j["orphan_rows"], 1);
  std::map<std::string, std::string> kinds;
  for (const auto& p : j["problems"]) kinds[p["file"].get<std::string>()] = p["kind"].get<std::string>();
  EXPECT_EQ(kinds[f42], "orphan_file");
  EXPECT_EQ(kinds[f43], "orphan_row");
  EXPECT_EQ(kinds["protobuf/44/last/2025/03/10/13_ticks.pb"], "empty_file");

  auto fixed = VerifyJson(root, true, &code);
  EXPECT_EQ(code, 0) << fixed;
  EXPECT_FALSE(std::filesystem::exists(root + "/protobuf/44/last/2025/03/10/13_ticks.pb"));
  auto after = VerifyJson(root, false, &code);
  EXPECT_EQ(code, 0) << after;
  EXPECT_EQ(after["problems"].size(), 0u) << after;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ibr::cli
