// SafeDump: invalid UTF-8 never throws (issue 10 item 4), and no plain dump()
// is left in the code that could throw on outside text.
#include "common/json_text.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace ibr {
namespace {

const std::string kBadUtf8 = "file\xFF\xC3(name\xED\xA0\x80).ndjson";

TEST(SafeDumpTest, InvalidUtf8IsReplacedNotThrown) {
  nlohmann::json j = {{"source", kBadUtf8}, {"list", {kBadUtf8, "ok"}}};
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error);  // what used to end processes
  std::string text;
  ASSERT_NO_THROW(text = SafeDump(j));
  nlohmann::json back = nlohmann::json::parse(text);  // valid JSON, valid UTF-8
  const std::string source = back["source"].get<std::string>();
  EXPECT_EQ(source.rfind("file\xEF\xBF\xBD", 0), 0u) << source;
  EXPECT_NE(source.find(".ndjson"), std::string::npos) << source;
  EXPECT_EQ(back["list"][1], "ok");
}

TEST(SafeDumpTest, OrderedJsonAndIndent) {
  nlohmann::ordered_json j;
  j["b"] = "\xFF";
  j["a"] = 1;
  EXPECT_EQ(SafeDump(j), "{\"b\":\"\xEF\xBF\xBD\",\"a\":1}");
  EXPECT_EQ(SafeDump(j, 2), "{\n  \"b\": \"\xEF\xBF\xBD\",\n  \"a\": 1\n}");
  EXPECT_EQ(SafeDump(nlohmann::json("plain \xC3\xA9")), "\"plain \xC3\xA9\"");  // valid text unchanged
}

// The root of the class: every nlohmann serialisation in recorder/, sync/ and
// bench/ must go through SafeDump (or say error_handler_t::replace itself).
// A new plain `.dump(` fails here with its file and line.
TEST(SafeDumpTest, NoPlainDumpInTheCode) {
  namespace fs = std::filesystem;
  const fs::path root = IBR_SOURCE_DIR;
  std::vector<std::string> offenders;
  int files = 0;
  for (const char* dir : {"recorder", "sync", "bench"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".cc" && ext != ".h")) continue;
      if (entry.path().filename() == "json_text.h") continue;
      ++files;
      std::ifstream in(entry.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        const auto code_end = line.find("//");
        const std::string code = line.substr(0, code_end);
        if (code.find(".dump(") != std::string::npos && code.find("error_handler_t::replace") == std::string::npos) {
          offenders.push_back(fs::relative(entry.path(), root).string() + ":" + std::to_string(n) + ": " + line);
        }
      }
    }
  }
  EXPECT_GT(files, 100);  // the scan really read the tree
  for (const auto& o : offenders) ADD_FAILURE() << "plain dump() (throws on invalid UTF-8; use SafeDump): " << o;
}

}  // namespace
}  // namespace ibr
