// SseParser: both framings, line endings, chunk splits at every offset,
// multi-line data, comments, oversize lines and events, end of stream.
#include "daemon/sse_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

namespace ibr::daemon {

bool operator==(const SseEvent& a, const SseEvent& b) {
  return std::tie(a.event, a.data, a.id) == std::tie(b.event, b.data, b.id);
}
void PrintTo(const SseEvent& e, std::ostream* os) { *os << "{" << e.event << " | " << e.data << " | " << e.id << "}"; }

namespace {

using Events = std::vector<SseEvent>;

struct Collector {
  Events events;
  SseParser::Sink sink() {
    return [this](const SseEvent& e) { events.push_back(e); };
  }
};

Events ParseChunks(const std::vector<std::string>& chunks, bool finish = true, std::size_t max = 1 << 20) {
  SseParser parser(max);
  Collector c;
  for (const auto& chunk : chunks) parser.Feed(chunk, c.sink());
  if (finish) parser.Finish(c.sink());
  return c.events;
}

Events Parse(const std::string& text, bool finish = true) { return ParseChunks({text}, finish); }

TEST(SseParser, StandardFramingEndsEventsAtBlankLines) {
  EXPECT_EQ(Parse("event: tick\ndata: {\"a\": 1}\n\nevent: info\ndata: {}\n\n", false),
            (Events{{"tick", "{\"a\": 1}", ""}, {"info", "{}", ""}}));
}

TEST(SseParser, IbStreamFramingEndsAnEventAtTheNextEventLine) {
  const std::string text = "event: info\ndata: {\"type\": \"info\"}\nevent: tick\ndata: {\"n\": 1}\nevent: tick\ndata: {\"n\": 2}\n";
  // Without an end of stream the newest event is still open.
  EXPECT_EQ(Parse(text, false), (Events{{"info", "{\"type\": \"info\"}", ""}, {"tick", "{\"n\": 1}", ""}}));
  // The end of the stream ends it.
  EXPECT_EQ(Parse(text, true).size(), 3u);
  EXPECT_EQ(Parse(text, true).back(), (SseEvent{"tick", "{\"n\": 2}", ""}));
}

TEST(SseParser, CrLfAndLoneCrEndLines) {
  const Events want{{"tick", "x", ""}, {"tick", "y", ""}, {"info", "z", ""}};
  EXPECT_EQ(Parse("event: tick\r\ndata: x\r\n\r\nevent: tick\rdata: y\r\revent: info\ndata: z\r\n"), want);
  // "\r" at a chunk end followed by "\n" in the next chunk is one line end, not a blank line.
  EXPECT_EQ(ParseChunks({"data: a\r", "\ndata: b\r\n\r\n"}), (Events{{"message", "a\nb", ""}}));
  // "\r" at a chunk end followed by another "\r": a blank line.
  EXPECT_EQ(ParseChunks({"data: a\r", "\rdata: b\n\n"}), (Events{{"message", "a", ""}, {"message", "b", ""}}));
}

TEST(SseParser, MultiLineDataIsJoinedWithNewlines) {
  EXPECT_EQ(Parse("data: {\ndata:   \"a\": 1\ndata: }\n\n"), (Events{{"message", "{\n  \"a\": 1\n}", ""}}));
  EXPECT_EQ(Parse("data\ndata\n\n"), (Events{{"message", "\n", ""}}));  // "data" without colon: empty value
}

TEST(SseParser, FieldRules) {
  // One space after the colon is dropped, no more; no space is fine too.
  EXPECT_EQ(Parse("event:tick\ndata:  two\n\n"), (Events{{"tick", " two", ""}}));
  // Unknown fields and retry are ignored; an event without data is not dispatched.
  EXPECT_EQ(Parse("retry: 10\nfoo: bar\nevent: lonely\n\ndata: d\n\n"), (Events{{"message", "d", ""}}));
  // A repeated event line with no data in between only renames the event.
  EXPECT_EQ(Parse("event: a\nevent: b\ndata: d\n\n"), (Events{{"b", "d", ""}}));
}

TEST(SseParser, CommentsAreIgnored) {
  EXPECT_EQ(Parse(": keep-alive\nevent: tick\n:\ndata: {}\n: between\n\n:trailing\n"), (Events{{"tick", "{}", ""}}));
}

TEST(SseParser, IdPersistsAcrossEvents) {
  EXPECT_EQ(Parse("id: 7\ndata: a\n\ndata: b\n\nid: 8\ndata: c\n\n"),
            (Events{{"message", "a", "7"}, {"message", "b", "7"}, {"message", "c", "8"}}));
}

// Every way of cutting the input into two or three chunks, and byte by byte,
// gives the events of the whole input.
TEST(SseParser, SplitsAtEveryByteOffsetGiveTheSameEvents) {
  const std::string text =
      ": hello\r\nevent: info\r\ndata: {\"type\": \"info\", \"s\": \"a:b\"}\r\nevent: tick\ndata: {\"n\": 1}\n"
      "event: tick\rdata: {\rdata: \"n\": 2}\r\rid: 9\ndata: plain\n\nevent: tick\ndata: {\"n\": 3}\r\n";
  const Events want = Parse(text);
  ASSERT_EQ(want.size(), 5u);
  EXPECT_EQ(want[2], (SseEvent{"tick", "{\n\"n\": 2}", ""}));
  EXPECT_EQ(want[3], (SseEvent{"message", "plain", "9"}));
  for (std::size_t a = 0; a <= text.size(); ++a) {
    ASSERT_EQ(ParseChunks({text.substr(0, a), text.substr(a)}), want) << "split at " << a;
    for (std::size_t b = a; b <= text.size(); b += 7) {
      ASSERT_EQ(ParseChunks({text.substr(0, a), text.substr(a, b - a), text.substr(b)}), want) << a << "," << b;
    }
  }
  std::vector<std::string> bytes;
  for (char c : text) bytes.emplace_back(1, c);
  EXPECT_EQ(ParseChunks(bytes), want);
}

TEST(SseParser, OversizeDataLineDropsItsEventOnly) {
  const std::string big(100, 'x');
  for (std::size_t split : {std::size_t{0}, std::size_t{20}, std::size_t{60}}) {
    const std::string text = "event: tick\ndata: a\nevent: tick\ndata: " + big + "\nevent: tick\ndata: c\n";
    SseParser parser(64);
    Collector c;
    parser.Feed(text.substr(0, 30 + split), c.sink());
    parser.Feed(text.substr(30 + split), c.sink());
    parser.Finish(c.sink());
    EXPECT_EQ(c.events, (Events{{"tick", "a", ""}, {"tick", "c", ""}})) << split;
    EXPECT_EQ(parser.dropped_oversize(), 1u);
  }
}

TEST(SseParser, OversizeLineInOneChunkAndAcrossMany) {
  const std::string big(1000, 'y');
  std::vector<std::string> chunks = {"data: a\n\ndata: "};
  for (int i = 0; i < 20; ++i) chunks.push_back(big);  // the line grows over many chunks
  chunks.push_back("\n\ndata: c\n\n");
  SseParser parser(4096);
  Collector c;
  for (const auto& chunk : chunks) parser.Feed(chunk, c.sink());
  EXPECT_EQ(c.events, (Events{{"message", "a", ""}, {"message", "c", ""}}));
  EXPECT_EQ(parser.dropped_oversize(), 1u);
}

TEST(SseParser, OversizeEventLineEndsThePreviousEvent) {
  const std::string text = "event: tick\ndata: a\nevent: " + std::string(200, 'e') + "\ndata: b\nevent: tick\ndata: c\n";
  SseParser parser(64);
  Collector c;
  parser.Feed(text, c.sink());
  parser.Finish(c.sink());
  EXPECT_EQ(c.events, (Events{{"tick", "a", ""}, {"tick", "c", ""}}));
  EXPECT_EQ(parser.dropped_oversize(), 1u);
}

TEST(SseParser, OversizeCommentDropsNothing) {
  SseParser parser(64);
  Collector c;
  parser.Feed("data: a\n:" + std::string(500, 'c') + "\ndata: b\n\n", c.sink());
  EXPECT_EQ(c.events, (Events{{"message", "a\nb", ""}}));
  EXPECT_EQ(parser.dropped_oversize(), 0u);
}

TEST(SseParser, EventWhoseDataLinesTogetherAreOversizeIsDropped) {
  SseParser parser(64);
  Collector c;
  std::string text = "event: many\n";
  for (int i = 0; i < 10; ++i) text += "data: 0123456789\n";  // each line fits, the event does not
  text += "event: ok\ndata: fine\n\n";
  parser.Feed(text, c.sink());
  EXPECT_EQ(c.events, (Events{{"ok", "fine", ""}}));
  EXPECT_EQ(parser.dropped_oversize(), 1u);
}

TEST(SseParser, DispatchIfWholeJsonSendsTheNewestEventWithoutWaiting) {
  SseParser parser;
  Collector c;
  parser.Feed("event: tick\ndata: {\"a\": \"}\"}\n", c.sink());
  EXPECT_TRUE(c.events.empty());
  parser.DispatchIfWholeJson(c.sink());
  EXPECT_EQ(c.events, (Events{{"tick", "{\"a\": \"}\"}", ""}}));
  // The next event line does not send it again.
  parser.Feed("event: tick\ndata: {\"b\": [1, \n", c.sink());
  EXPECT_EQ(c.events.size(), 1u);
  parser.DispatchIfWholeJson(c.sink());  // "[1," is not whole: keep waiting
  EXPECT_EQ(c.events.size(), 1u);
  parser.Feed("data: 2]}\nevent: tick\ndata: {\"c\"", c.sink());  // ends the second; a partial line follows
  ASSERT_EQ(c.events.size(), 2u);
  EXPECT_EQ(c.events[1].data, "{\"b\": [1, \n2]}");
  parser.Feed(": 1}", c.sink());
  parser.DispatchIfWholeJson(c.sink());  // the line has no end yet: wait
  EXPECT_EQ(c.events.size(), 2u);
  parser.Feed("\n", c.sink());
  parser.DispatchIfWholeJson(c.sink());
  ASSERT_EQ(c.events.size(), 3u);
  EXPECT_EQ(c.events[2].data, "{\"c\": 1}");
  EXPECT_EQ(parser.events(), 3u);
}

TEST(SseParser, FinishDropsAnEventCutMidLine) {
  SseParser parser;
  Collector c;
  parser.Feed("event: tick\ndata: {\"a\": 1}\ndata: {\"trunc", c.sink());
  parser.Finish(c.sink());
  EXPECT_TRUE(c.events.empty());
  EXPECT_EQ(parser.truncated(), 1u);
  // A cut `event:` line or comment does not belong to the pending event.
  parser.Feed("event: tick\ndata: {\"a\": 1}\nevent: ti", c.sink());
  parser.Finish(c.sink());
  parser.Feed("event: tick\ndata: {\"a\": 2}\n: keep", c.sink());
  parser.Finish(c.sink());
  EXPECT_EQ(c.events, (Events{{"tick", "{\"a\": 1}", ""}, {"tick", "{\"a\": 2}", ""}}));
  // After Finish a new stream starts clean.
  parser.Feed("data: x\n\n", c.sink());
  EXPECT_EQ(c.events.back(), (SseEvent{"message", "x", ""}));
}

TEST(SseParser, ResetForgetsPartialState) {
  SseParser parser;
  Collector c;
  parser.Feed("event: tick\ndata: {\"a\": 1}\ndata: par", c.sink());
  parser.Reset();
  parser.Feed("tial\n\ndata: ok\n\n", c.sink());  // "tial" is now a line of its own: an unknown field
  EXPECT_EQ(c.events, (Events{{"message", "ok", ""}}));
}

TEST(IsWholeJson, Shapes) {
  EXPECT_TRUE(IsWholeJson("{}"));
  EXPECT_TRUE(IsWholeJson("  {\"a\": [1, {\"b\": \"}]\"}]}\n"));
  EXPECT_TRUE(IsWholeJson("[1, 2]"));
  EXPECT_TRUE(IsWholeJson(R"({"s": "quote \" and brace {"})"));
  EXPECT_FALSE(IsWholeJson(""));
  EXPECT_FALSE(IsWholeJson("ping"));
  EXPECT_FALSE(IsWholeJson("42"));
  EXPECT_FALSE(IsWholeJson("{\"a\": 1"));
  EXPECT_FALSE(IsWholeJson(R"({"s": "open \"})"));
  EXPECT_FALSE(IsWholeJson("{} {}"));
  EXPECT_FALSE(IsWholeJson("{}}"));
}

}  // namespace
}  // namespace ibr::daemon
