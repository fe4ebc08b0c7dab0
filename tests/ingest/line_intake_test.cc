// LineIntake / BodyLines: an HTTP body splits into exactly the lines LineReader makes of the
// same bytes (numbers, CRLF, blanks, overlong lines), every too-long line is one reject with
// one message whichever path it came by, and the outage rule both writers apply.
#include "ingest/line_intake.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "common/file_system.h"
#include "ingest/line_reader.h"
#include "ingest/outage_rule.h"

namespace ibr::ingest {
namespace {


struct IntakeLine {
  std::uint64_t number;
  std::string text;
  bool too_long;
  bool operator==(const IntakeLine&) const = default;
};

template <typename Source>
std::vector<IntakeLine> DrainLines(Source& src) {
  std::vector<IntakeLine> out;
  Line l;
  while (src.Next(&l)) out.push_back({l.number, std::string(l.text), l.too_long});
  return out;
}

std::string MixedBody() {
  std::string body = "{\"a\":1}\r\n\n   \n{\"b\":2}\n";
  body += std::string(kMaxLineBytes + 10, 'x') + "\n";
  body += std::string(kMaxLineBytes, 'y') + "\r\n";  // exactly the limit: kept
  body += "{\"last\":true}";                          // no final newline
  return body;
}

TEST(BodyLines, SplitsAHttpBodyExactlyAsLineReaderSplitsTheSameBytes) {
  const std::string body = MixedBody();
  BodyLines lines(body);
  auto from_body = DrainLines(lines);
  // The same bytes as a real file, read through the FileSystem as `ingest` reads its spool.
  const std::string path = ::testing::TempDir() + "/line_intake_body.ndjson";
  FileSystem& fs = PosixFileSystem::Instance();
  ASSERT_TRUE(fs.WriteFileAtomic(path, body).ok());
  auto file = fs.OpenRead(path);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  LineReader reader(**file);
  auto from_reader = DrainLines(reader);
  ASSERT_TRUE(reader.status().ok());
  EXPECT_EQ(from_body, from_reader);
  ASSERT_EQ(from_body.size(), 5u);
  EXPECT_EQ(from_body[0], (IntakeLine{1, "{\"a\":1}", false}));
  EXPECT_EQ(from_body[1].number, 4u);
  EXPECT_TRUE(from_body[2].too_long);
  EXPECT_EQ(from_body[2].number, 5u);
  EXPECT_EQ(from_body[2].text.size(), 1024u);
  EXPECT_FALSE(from_body[3].too_long);
  EXPECT_EQ(from_body[3].text.size(), kMaxLineBytes);
  EXPECT_EQ(from_body[4], (IntakeLine{7, "{\"last\":true}", false}));
}

TEST(LineIntake, ATooLongLineIsOneRejectWithOneMessageOnEveryPath) {
  LineIntake intake;
  DecodeResult from_reader, from_text;
  const std::string long_text(kMaxLineBytes + 1, '{');
  intake.Decode(Line{3, std::string_view(long_text).substr(0, 1024), true}, 0, false, from_reader);
  intake.Decode(long_text, 0, from_text);
  for (const DecodeResult* r : {&from_reader, &from_text}) {
    EXPECT_EQ(r->kind, DecodeResult::Kind::kReject);
    EXPECT_EQ(r->reason, RejectReason::kLineTooLong);
    EXPECT_EQ(r->detail, kLineTooLongDetail);
  }
}

TEST(LineIntake, DecodesAValidLineLikeTheDecoder) {
  LineIntake intake;
  DecodeResult r;
  intake.Decode(std::string_view(R"({"type":"heartbeat","timestamp":"2025-01-01T00:00:00Z"})"), 0, r);
  EXPECT_EQ(r.kind, DecodeResult::Kind::kHeartbeat) << r.detail;
}

TEST(OutageRule, ErrorAndCompleteOpenEverythingElseOfTheContractCloses) {
  LifecycleEvent ev;
  ev.type = "error";
  ev.code = "CONTRACT_NOT_FOUND";
  EXPECT_EQ(OutageEffectOf(ev), OutageEffect::kNone);  // no contract: nothing to track
  ev.contract_id = 265598;
  EXPECT_EQ(OutageEffectOf(ev), OutageEffect::kOpens);
  EXPECT_EQ(OutageCause(ev), "error:CONTRACT_NOT_FOUND");
  ev.type = "complete";
  EXPECT_EQ(OutageEffectOf(ev), OutageEffect::kOpens);
  ev.type = "info";
  EXPECT_EQ(OutageEffectOf(ev), OutageEffect::kCloses);
}

}  // namespace
}  // namespace ibr::ingest
