// `ib-recorder ingest` (RunIngest) with outside text that is not UTF-8 (issue 10
// item 4): a file name with a 0xFF byte used to end the process with
// std::terminate (nlohmann type_error 316 in dump()). Now the input is stored,
// the --json summary, the session's config snapshot and the rejects file are
// valid JSON, the bad bytes written as U+FFFD. (A storage path that is not
// UTF-8 is refused at the configuration edge: ingest_command_test.cc.)
#include "cli/ingest_command.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "catalog/catalog.h"
#include "common/time_text.h"
#include "storage/layout.h"

namespace ibr::cli {
namespace {

const char kGoodTick[] =
    R"({"type":"tick","stream_id":"s","timestamp":"2025-03-10T14:00:00Z","data":{"contract_id":265598,)"
    R"("tick_type":"bid_ask","bid_price":1.5,"bid_size":2,"ask_price":1.75,"ask_size":3}})";

class IngestNonUtf8Test : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ibr-ingest-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    ::setenv("IB_STREAM_MIN_FREE_MB", "1", 1);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes the input, runs ingest --json, returns stdout (the summary).
  std::string Ingest(const std::string& storage, const std::string& input_name, const std::string& content,
                     int want_code = 0) {
    const std::string input = dir_ + "/" + input_name;
    std::ofstream(input) << content;
    IngestOptions o;
    o.storage = storage;
    o.input = input;
    o.json = true;
    ManualClock clock(*ParseIsoTimestamp("2025-03-11T00:00:00Z"));
    ::testing::internal::CaptureStdout();
    int code = RunIngest(o, clock);
    std::string out = ::testing::internal::GetCapturedStdout();
    EXPECT_EQ(code, want_code) << out;
    return out;
  }

  static nlohmann::json Snapshot(const std::string& storage) {
    ManualClock clock(0);
    auto cat = catalog::Catalog::Open(storage::CatalogPath(storage), catalog::Catalog::Mode::kReadOnly, clock);
    EXPECT_TRUE(cat.ok()) << cat.status().message();
    if (!cat.ok()) return nullptr;
    auto sessions = (*cat)->ListSessions();
    EXPECT_TRUE(sessions.ok() && sessions->size() == 1u);
    if (!sessions.ok() || sessions->empty()) return nullptr;
    return nlohmann::json::parse(sessions->front().config_snapshot);  // throws (fails the test) if not valid
  }

  std::string dir_;
};

TEST_F(IngestNonUtf8Test, FileNameWithFFByte) {
  const std::string storage = dir_ + "/store";
  const std::string out = Ingest(storage, "ticks\xFF.ndjson", std::string(kGoodTick) + "\n");
  nlohmann::json summary = nlohmann::json::parse(out);
  EXPECT_EQ(summary["accepted"], 1);
  const std::string source = Snapshot(storage)["source"].get<std::string>();
  EXPECT_NE(source.find("ticks\xEF\xBF\xBD.ndjson"), std::string::npos) << source;
}

TEST_F(IngestNonUtf8Test, RejectedLinesWithInvalidBytes) {
  const std::string storage = dir_ + "/store";
  const std::string bad_line = "{\"type\":\"tick\",\"stream_id\":\"\xFF\xFE\",\"data\":{}}";
  const std::string bad_value = std::string(kGoodTick).insert(std::string(kGoodTick).size() - 2, R"(,"exchange":"\u0000")");
  nlohmann::json summary = nlohmann::json::parse(
      Ingest(storage, "in\xC3.ndjson", bad_line + "\n\xFF\n" + bad_value + "\n" + kGoodTick + "\n"));
  EXPECT_EQ(summary["accepted"], 1);
  EXPECT_EQ(summary["rejected"], 3);
  EXPECT_EQ(summary["reasons"], (nlohmann::json{{"bad_json", 2}, {"bad_value", 1}}));
  int lines = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_ + "/store/rejects")) {
    std::ifstream in(e.path());
    for (std::string line; std::getline(in, line); ++lines) {
      nlohmann::json j = nlohmann::json::parse(line);  // each reject is valid JSON
      EXPECT_TRUE(j.contains("reason")) << line;
    }
  }
  EXPECT_EQ(lines, 3);
}

// Issue 10 item 14: a file saved with a UTF-8 byte order mark had its first line rejected as bad_json.
TEST_F(IngestNonUtf8Test, ByteOrderMarkOnLineOneIsSkipped) {
  nlohmann::json summary = nlohmann::json::parse(
      Ingest(dir_ + "/store", "bom.ndjson", "\xEF\xBB\xBF" + std::string(kGoodTick) + "\r\n" + kGoodTick + "\r\n"));
  EXPECT_EQ(summary["accepted"], 2) << summary;
  EXPECT_EQ(summary["rejected"], 0) << summary;
}

}  // namespace
}  // namespace ibr::cli
