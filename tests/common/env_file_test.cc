// Env file parsing: the shapes seed 003's files and shells use, and errors
// that name the line without quoting a value.
#include "common/env_file.h"

#include <gtest/gtest.h>

namespace ibr {
namespace {

TEST(EnvFileTest, ParsesAssignmentsCommentsQuotesAndExport) {
  auto env = ParseEnvText(
      "# comment\n"
      "\n"
      "PORT=8001\n"
      "export IB_STREAM_CLIENT_ID=2\n"
      "  SPACED = value with spaces  \n"
      "IB_STREAM_TRACKED_CONTRACTS=711280073:MNQ:bid_ask;last:1\n"
      "SINGLE='a \"b\" # not a comment'\n"
      "DOUBLE=\"line\\nnext \\\"q\\\" \\\\\"  # trailing comment\n"
      "INLINE=abc # comment\n"
      "HASH=abc#def\n"
      "EMPTY=\n"
      "CRLF=x\r\n"
      "PORT=8101\n",
      "t.env");
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  const EnvMap& e = *env;
  EXPECT_EQ(e.at("PORT"), "8101");  // later lines win
  EXPECT_EQ(e.at("IB_STREAM_CLIENT_ID"), "2");
  EXPECT_EQ(e.at("SPACED"), "value with spaces");
  EXPECT_EQ(e.at("IB_STREAM_TRACKED_CONTRACTS"), "711280073:MNQ:bid_ask;last:1");
  EXPECT_EQ(e.at("SINGLE"), "a \"b\" # not a comment");
  EXPECT_EQ(e.at("DOUBLE"), "line\nnext \"q\" \\");
  EXPECT_EQ(e.at("INLINE"), "abc");
  EXPECT_EQ(e.at("HASH"), "abc#def");
  EXPECT_EQ(e.at("EMPTY"), "");
  EXPECT_EQ(e.at("CRLF"), "x");
  EXPECT_EQ(e.size(), 10u);
}

TEST(EnvFileTest, ErrorsNameTheLineButNotTheValue) {
  struct Case {
    const char* text;
    const char* expect;
  } cases[] = {
      {"A=1\nIB_STREAM_API_KEY secretsecret\n", "f.env line 2: expected KEY=VALUE"},
      {"1BAD=x\n", "f.env line 1: expected KEY=VALUE"},
      {"=x\n", "line 1"},
      {"KEY='secret-unclosed\n", "line 1: the value's quote is not closed (KEY)"},
      {"KEY=\"secret\" trailing\n", "unexpected text after the value's closing quote (KEY)"},
  };
  for (const auto& k : cases) {
    auto env = ParseEnvText(k.text, "f.env");
    ASSERT_FALSE(env.ok()) << k.text;
    EXPECT_EQ(env.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(env.status().message().find(k.expect), std::string::npos) << env.status().message();
    EXPECT_EQ(env.status().message().find("secret"), std::string::npos) << env.status().message();
  }
}

TEST(EnvFileTest, ReadEnvFileNamesAMissingFile) {
  auto env = ReadEnvFile(PosixFileSystem::Instance(), "/nonexistent/dir/x.env");
  ASSERT_FALSE(env.ok());
  EXPECT_NE(env.status().message().find("/nonexistent/dir/x.env"), std::string::npos);
}

}  // namespace
}  // namespace ibr
