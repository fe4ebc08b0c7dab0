// Frames: round trip and every way a frame stream can end.
#include "format/frame.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ibr::format {
namespace {

std::string Frames(const std::vector<std::string>& bodies) {
  std::string out;
  for (const auto& b : bodies) AppendFrame(out, b);
  return out;
}

std::vector<std::string> ReadAll(FrameReader& r) {
  std::vector<std::string> got;
  std::string_view body;
  while (r.Next(&body)) got.emplace_back(body);
  return got;
}

TEST(FrameTest, LengthIsBigEndian) {
  std::string out;
  AppendBigEndian32(out, 0x01020304);
  EXPECT_EQ(out, std::string("\x01\x02\x03\x04", 4));
  out.clear();
  AppendFrame(out, std::string(300, 'x'));
  ASSERT_EQ(out.size(), 304u);
  EXPECT_EQ(out.substr(0, 4), std::string("\x00\x00\x01\x2c", 4));
}

TEST(FrameTest, RoundTrip) {
  const std::vector<std::string> bodies = {"a", std::string(70000, 'b'), "ccc"};
  const std::string data = Frames(bodies);
  FrameReader r(data);
  EXPECT_EQ(ReadAll(r), bodies);
  EXPECT_EQ(r.stop(), FrameStop::kEnd);
  EXPECT_EQ(r.offset(), data.size());
}

TEST(FrameTest, EmptyInputIsCleanEnd) {
  FrameReader r("");
  std::string_view body;
  EXPECT_FALSE(r.Next(&body));
  EXPECT_EQ(r.stop(), FrameStop::kEnd);
  EXPECT_EQ(r.offset(), 0u);
}

TEST(FrameTest, TornTailIsNotReturned) {
  const std::string whole = Frames({"first", "second"});
  const std::uint64_t first_end = 4 + 5;
  // Every cut inside the second frame (its length prefix or its body).
  for (std::size_t cut = first_end + 1; cut < whole.size(); ++cut) {
    FrameReader r(std::string_view(whole).substr(0, cut));
    EXPECT_EQ(ReadAll(r), std::vector<std::string>{"first"}) << "cut at " << cut;
    EXPECT_EQ(r.stop(), FrameStop::kTornTail) << "cut at " << cut;
    EXPECT_EQ(r.offset(), first_end) << "cut at " << cut;
  }
}

TEST(FrameTest, ZeroLengthFrameStopsReading) {
  std::string data = Frames({"one"});
  AppendBigEndian32(data, 0);
  AppendFrame(data, "after");
  FrameReader r(data);
  EXPECT_EQ(ReadAll(r), std::vector<std::string>{"one"});
  EXPECT_EQ(r.stop(), FrameStop::kZeroLength);
  EXPECT_EQ(r.offset(), 7u);
}

TEST(FrameTest, OversizedLengthIsGarbage) {
  std::string data = Frames({"one"});
  AppendBigEndian32(data, kMaxFrameBytes + 1);
  data += std::string(64, 'z');
  FrameReader r(data);
  EXPECT_EQ(ReadAll(r), std::vector<std::string>{"one"});
  EXPECT_EQ(r.stop(), FrameStop::kOversized);
  EXPECT_EQ(r.offset(), 7u);
}

TEST(FrameTest, LargestAllowedFrameIsRead) {
  const std::string data = Frames({std::string(kMaxFrameBytes, 'q')});
  FrameReader r(data);
  std::string_view body;
  ASSERT_TRUE(r.Next(&body));
  EXPECT_EQ(body.size(), kMaxFrameBytes);
  EXPECT_FALSE(r.Next(&body));
  EXPECT_EQ(r.stop(), FrameStop::kEnd);
}

TEST(FrameTest, GarbageAfterEndIsDetected) {
  std::string data = Frames({"one", "two"});
  data += "\xff\xff";  // fewer bytes than a length prefix
  FrameReader r(data);
  EXPECT_EQ(ReadAll(r), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(r.stop(), FrameStop::kTornTail);
  EXPECT_EQ(r.offset(), 14u);
}

TEST(FrameTest, StaysStoppedAfterStop) {
  std::string data = Frames({"one"});
  AppendBigEndian32(data, 0);
  FrameReader r(data);
  ReadAll(r);
  std::string_view body;
  EXPECT_FALSE(r.Next(&body));
  EXPECT_FALSE(r.Next(&body));
  EXPECT_EQ(r.stop(), FrameStop::kZeroLength);
  EXPECT_EQ(r.offset(), 7u);
}

TEST(FrameTest, StopNames) {
  EXPECT_STREQ(FrameStopName(FrameStop::kEnd), "end");
  EXPECT_STREQ(FrameStopName(FrameStop::kTornTail), "torn tail");
  EXPECT_STREQ(FrameStopName(FrameStop::kZeroLength), "zero-length frame");
  EXPECT_STREQ(FrameStopName(FrameStop::kOversized), "oversized frame length (garbage)");
}

}  // namespace
}  // namespace ibr::format
