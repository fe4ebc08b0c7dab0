// Config text checks: UTF-8 validation, escaping for messages, the one
// instance-name rule, storage paths.
#include "config/config_text.h"

#include <gtest/gtest.h>

namespace ibr::config {
namespace {

TEST(ConfigTextTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain ASCII"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("bad\xFF"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(ConfigTextTest, PrintableEscapesInvalidBytesAndControls) {
  EXPECT_EQ(Printable("a\xFF" "b\nc\td\x01"), "a\\xFFb\\nc\\td\\x01");
  EXPECT_EQ(Printable("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_TRUE(IsValidUtf8(Printable("\xFF\xFE\x80")));
  EXPECT_EQ(ToValidUtf8("x\xFFy"), "x\xEF\xBF\xBDy");
}

TEST(ConfigTextTest, PlainTextRejectsControlsAndInvalidUtf8NamingTheVariable) {
  EXPECT_TRUE(CheckPlainText("V", "ok value", "text").ok());
  Status s = CheckPlainText("IB_STREAM_X", "a\nb", "a name");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "IB_STREAM_X='a\\nb' is not valid: it holds a control character; expected a name");
  s = CheckPlainText("IB_STREAM_X", "a\xFF", "a name");
  EXPECT_NE(s.message().find("not valid UTF-8"), std::string::npos) << s.message();
  EXPECT_TRUE(IsValidUtf8(s.message()));
}

TEST(ConfigTextTest, StoragePath) {
  EXPECT_TRUE(CheckStoragePath("--storage", "/var/lib/ib-recorder/production").ok());
  EXPECT_FALSE(CheckStoragePath("--storage", "").ok());
  Status s = CheckStoragePath("IB_STREAM_STORAGE_PATH", "/tmp/x\xFF");
  EXPECT_TRUE(s.message().starts_with("IB_STREAM_STORAGE_PATH='/tmp/x\\xFF' is not valid")) << s.message();
}

TEST(ConfigTextTest, InstanceName) {
  for (const char* ok : {"production-host1", "a", "dev_2.x"}) EXPECT_TRUE(CheckInstanceName("N", ok).ok()) << ok;
  for (const char* bad : {"", "has space", "caf\xC3\xA9", "x\xFF", "a/b", "new\nline"}) {
    Status s = CheckInstanceName("--instance-name", bad);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(s.message().starts_with("--instance-name='")) << s.message();
    EXPECT_TRUE(IsValidUtf8(s.message())) << s.message();
  }
  EXPECT_FALSE(CheckInstanceName("N", std::string(101, 'a')).ok());
}

}  // namespace
}  // namespace ibr::config
