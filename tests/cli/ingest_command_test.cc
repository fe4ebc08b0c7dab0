// `ib-recorder ingest` at the configuration edge: the instance-name rule `run` applies
// (nothing created on a refusal), storage paths and input file names that are not UTF-8.
#include "cli/ingest_command.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "storage/layout.h"

namespace ibr::cli {
namespace {

std::string IngestTestDir() {
  char tmpl[] = "/tmp/ibr-ingest-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) return "";
  for (const char* v : {"IB_STREAM_STORAGE_PATH", "IB_STREAM_INSTANCE_NAME", "IB_STREAM_ENVIRONMENT"}) ::unsetenv(v);
  return tmpl;
}

const char kOneTick[] =
    "{\"type\":\"tick\",\"stream_id\":\"265598_last_1741615200000_1\",\"timestamp\":\"2025-03-10T14:00:00.000000Z\","
    "\"data\":{\"contract_id\":265598,\"tick_type\":\"last\",\"price\":229.95,\"size\":100.0}}\n";

TEST(RunIngest, AnInstanceNameRunRejectsIsRejectedBeforeAnythingIsCreated) {
  // Regression (issue 10 item 4): ingest accepted names run refuses (libprotobuf then
  // complained about invalid UTF-8 in FileHeader.instance_name).
  const std::string dir = IngestTestDir();
  ASSERT_FALSE(dir.empty());
  std::ofstream(dir + "/ticks.ndjson") << kOneTick;
  for (const std::string name : {"prod\xFF", "has space", "caf\xC3\xA9"}) {
    IngestOptions o;
    o.storage = dir + "/store";
    o.instance_name = name;
    o.input = dir + "/ticks.ndjson";
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(RunIngest(o, SystemClock::Instance()), 2) << name;
    std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("--instance-name='"), std::string::npos) << err;
    EXPECT_NE(err.find("expected 1 to 100 letters, digits, '-', '_' or '.'"), std::string::npos) << err;
    EXPECT_FALSE(std::filesystem::exists(o.storage)) << name;
  }
  ::setenv("IB_STREAM_INSTANCE_NAME", "bad\nname", 1);
  IngestOptions o;
  o.storage = dir + "/store";
  o.input = dir + "/ticks.ndjson";
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RunIngest(o, SystemClock::Instance()), 2);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("IB_STREAM_INSTANCE_NAME='bad\\nname'"), std::string::npos);
  ::unsetenv("IB_STREAM_INSTANCE_NAME");
  EXPECT_FALSE(std::filesystem::exists(o.storage));
  std::filesystem::remove_all(dir);
}

TEST(RunIngest, AStoragePathWithAnInvalidByteIsAUsageError) {
  const std::string dir = IngestTestDir();
  ASSERT_FALSE(dir.empty());
  std::ofstream(dir + "/ticks.ndjson") << kOneTick;
  IngestOptions o;
  o.storage = dir + "/store\xFF";
  o.input = dir + "/ticks.ndjson";
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RunIngest(o, SystemClock::Instance()), 2);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("--storage='" + dir + "/store\\xFF' is not valid"),
            std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(o.storage));
  std::filesystem::remove_all(dir);
}

TEST(RunIngest, AnInputFileNameThatIsNotUtf8IsIngested) {
  // Regression (issue 10 item 4): the file's name went into the catalog's JSON and aborted ingest.
  const std::string dir = IngestTestDir();
  ASSERT_FALSE(dir.empty());
  const std::string input = dir + "/ticks\xFF\xFE.ndjson";
  std::ofstream(input) << kOneTick;
  IngestOptions o;
  o.storage = dir + "/store";
  o.input = input;
  o.json = true;
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  const int rc = RunIngest(o, SystemClock::Instance());
  std::string out = ::testing::internal::GetCapturedStdout();
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(rc, 0) << err;
  EXPECT_NE(out.find("\"accepted\":1"), std::string::npos) << out << err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ibr::cli
