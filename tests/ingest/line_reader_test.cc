// LineReader: line splitting, CRLF, final line, blank lines, overlong lines,
// block boundaries, content hash, read errors.
#include "ingest/line_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xxhash.h>

#include <cstdio>
#include <string>
#include <vector>

#include "ingest/v2_decoder.h"

namespace ibr::ingest {
namespace {

// Input held in an anonymous temporary file.
class Input {
 public:
  explicit Input(const std::string& bytes) : file_(std::tmpfile()) {
    EXPECT_NE(file_, nullptr);
    EXPECT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), file_), bytes.size());
    std::fflush(file_);
    std::rewind(file_);
  }
  ~Input() { std::fclose(file_); }
  int fd() const { return fileno(file_); }

 private:
  std::FILE* file_;
};

struct Got {
  std::uint64_t number;
  std::string text;
  bool too_long;
  bool operator==(const Got&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Got& g) {
  return os << "{" << g.number << ", \"" << g.text.substr(0, 40) << "\" (" << g.text.size() << "), " << g.too_long
            << "}";
}

std::vector<Got> ReadAll(const std::string& bytes, std::string* hash = nullptr) {
  Input in(bytes);
  LineReader reader(in.fd());
  std::vector<Got> out;
  Line line;
  while (reader.Next(&line)) {
    // Every line has kLinePadding readable bytes after it (ASan checks this).
    volatile char last_pad = line.text.data()[line.text.size() + kLinePadding - 1];
    (void)last_pad;
    out.push_back({line.number, std::string(line.text), line.too_long});
  }
  EXPECT_TRUE(reader.status().ok()) << reader.status().ToString();
  EXPECT_EQ(reader.bytes_read(), bytes.size());
  if (hash) *hash = reader.ContentHash();
  return out;
}

TEST(LineReaderTest, SplitsLinesWithNumbers) {
  EXPECT_EQ(ReadAll("a\nbb\nccc\n"), (std::vector<Got>{{1, "a", false}, {2, "bb", false}, {3, "ccc", false}}));
}

TEST(LineReaderTest, EmptyInput) { EXPECT_TRUE(ReadAll("").empty()); }

TEST(LineReaderTest, StripsCarriageReturns) {
  EXPECT_EQ(ReadAll("a\r\nb\r\n"), (std::vector<Got>{{1, "a", false}, {2, "b", false}}));
  // Only the one before '\n'.
  EXPECT_EQ(ReadAll("a\rb\r\r\n"), (std::vector<Got>{{1, "a\rb\r", false}}));
}

TEST(LineReaderTest, LastLineWithoutNewline) {
  EXPECT_EQ(ReadAll("a\nlast"), (std::vector<Got>{{1, "a", false}, {2, "last", false}}));
  EXPECT_EQ(ReadAll("a\nlast\r"), (std::vector<Got>{{1, "a", false}, {2, "last", false}}));
}

TEST(LineReaderTest, BlankLinesAreSkippedButCounted) {
  EXPECT_EQ(ReadAll("\na\n\n \t\r\n\r\nb\n\n"), (std::vector<Got>{{2, "a", false}, {6, "b", false}}));
  EXPECT_TRUE(ReadAll("\n\n  \n").empty());
}

TEST(LineReaderTest, OverlongLineInTheMiddle) {
  std::string big(200 * 1024, 'x');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  auto got = ReadAll("first\n" + big + "\nnext\n");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], (Got{1, "first", false}));
  EXPECT_EQ(got[1], (Got{2, big.substr(0, 1024), true}));
  EXPECT_EQ(got[2], (Got{3, "next", false}));
}

TEST(LineReaderTest, OverlongLineLongerThanABlockAtTheEnd) {
  std::string big(3 * 1024 * 1024 + 7, 'y');
  auto got = ReadAll("a\n" + big);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1], (Got{2, std::string(1024, 'y'), true}));
}

TEST(LineReaderTest, LengthLimitIsExact) {
  std::string at(kMaxLineBytes, 'a'), over(kMaxLineBytes + 1, 'b');
  auto got = ReadAll(at + "\n" + at + "\r\n" + over + "\n" + over + "\r\n" + at);
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0], (Got{1, at, false}));
  EXPECT_EQ(got[1], (Got{2, at, false}));
  EXPECT_EQ(got[2], (Got{3, over.substr(0, 1024), true}));
  EXPECT_EQ(got[3], (Got{4, over.substr(0, 1024), true}));
  EXPECT_EQ(got[4], (Got{5, at, false}));
}

TEST(LineReaderTest, LinesAcrossBlockBoundaries) {
  // ~5 MiB of lines of varying length: every one comes back intact, in order.
  std::string bytes;
  std::vector<Got> want;
  for (std::uint64_t i = 1; bytes.size() < 5 * 1024 * 1024; ++i) {
    std::string line = std::to_string(i) + ":" + std::string(i % 997, static_cast<char>('a' + i % 26));
    bytes += line + (i % 3 == 0 ? "\r\n" : "\n");
    want.push_back({i, line, false});
  }
  EXPECT_EQ(ReadAll(bytes), want);
}

TEST(LineReaderTest, ContentHashIsXxh3_128OfAllBytes) {
  std::string hash;
  ReadAll("", &hash);
  EXPECT_EQ(hash, "99aa06d3014798d86001c324468d497f");  // XXH3-128 of nothing (xxh128sum)
  std::string bytes;
  for (int i = 0; i < 300000; ++i) bytes += "line " + std::to_string(i) + "\n";
  ReadAll(bytes + std::string(100 * 1024, 'z'), &hash);  // includes an overlong line's skipped bytes
  XXH128_canonical_t c;
  std::string whole = bytes + std::string(100 * 1024, 'z');
  XXH128_canonicalFromHash(&c, XXH3_128bits(whole.data(), whole.size()));
  char want[33];
  for (int i = 0; i < 16; ++i) std::snprintf(want + 2 * i, 3, "%02x", c.digest[i]);
  EXPECT_EQ(hash, want);
  EXPECT_EQ(hash.size(), 32u);
}

TEST(LineReaderTest, ReadErrorIsReported) {
  LineReader reader(-1);
  Line line;
  EXPECT_FALSE(reader.Next(&line));
  EXPECT_EQ(reader.status().code(), StatusCode::kIoError);
  EXPECT_NE(reader.status().message().find("Bad file descriptor"), std::string::npos) << reader.status().message();
}

TEST(LineReaderTest, ReadsFromAPipe) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string text = "one\ntwo";
  ASSERT_EQ(::write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  LineReader reader(fds[0]);
  Line line;
  ASSERT_TRUE(reader.Next(&line));
  EXPECT_EQ(line.text, "one");
  ASSERT_TRUE(reader.Next(&line));
  EXPECT_EQ(line.text, "two");
  EXPECT_FALSE(reader.Next(&line));
  EXPECT_TRUE(reader.status().ok());
  ::close(fds[0]);
}

TEST(LineReaderTest, LinesFeedThePaddedDecoder) {
  const std::string tick =
      R"({"type":"tick","timestamp":"2025-08-01T00:00:00Z","data":{"contract_id":1,"tick_type":"mid_point","mid_price":2}})";
  Input in(tick + "\r\n" + "not json\n" + tick);
  LineReader reader(in.fd());
  V2Decoder decoder;
  DecodeResult r;
  Line line;
  std::vector<DecodeResult::Kind> kinds;
  while (reader.Next(&line)) {
    decoder.Decode(line.text, 1754010291LL * 1000000, true, r);
    kinds.push_back(r.kind);
  }
  EXPECT_EQ(kinds, (std::vector<DecodeResult::Kind>{DecodeResult::Kind::kTick, DecodeResult::Kind::kReject,
                                                    DecodeResult::Kind::kTick}));
}

}  // namespace
}  // namespace ibr::ingest
