// CheckRequestHead: complete heads name their method and target; bytes that
// cannot be HTTP, bad Content-Length values and oversized heads are judged
// as soon as they arrive, before the head is complete.
#include "http/request_head.h"

#include <gtest/gtest.h>

namespace ibr::http {
namespace {

constexpr std::uint64_t kHeadTestMaxBody = 64u << 20;
constexpr std::size_t kHeadTestMaxHead = 32u << 10;

RequestHead CheckHead(std::string_view bytes) { return CheckRequestHead(bytes, kHeadTestMaxBody, kHeadTestMaxHead); }

TEST(RequestHeadCheck, ACompleteHeadNamesMethodTargetAndSize) {
  const std::string head = "POST /v2/ingest?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n";
  auto h = CheckHead(head + "{}\n{}");
  ASSERT_EQ(h.state, RequestHead::State::kComplete) << h.error;
  EXPECT_EQ(h.method, "POST");
  EXPECT_EQ(h.target, "/v2/ingest?x=1");
  EXPECT_EQ(h.size, head.size());
  EXPECT_EQ(CheckHead("GET / HTTP/1.0\n\n").state, RequestHead::State::kComplete);
}

TEST(RequestHeadCheck, APartialButValidHeadIsIncomplete) {
  for (std::string_view partial :
       {"", "GE", "GET /health HT", "GET /health HTTP/1.1\r\nHost: x\r\n", "GET / HTTP/1.1\r\nX-A: b"}) {
    EXPECT_EQ(CheckHead(partial).state, RequestHead::State::kIncomplete) << partial << ": " << CheckHead(partial).error;
  }
}

TEST(RequestHeadCheck, BadBytesAreJudgedBeforeTheLineEnds) {
  auto h = CheckHead(std::string("\x16\x03\x01\x02\x00", 5));
  EXPECT_EQ(h.state, RequestHead::State::kBad);
  EXPECT_EQ(h.status, 400);
  EXPECT_NE(h.error.find("not an HTTP request"), std::string::npos) << h.error;
  EXPECT_EQ(CheckHead("get / HTTP/1.1\r\n").status, 400);
  EXPECT_EQ(CheckHead("GET / HTTP/2.0\r\n").status, 400);
  EXPECT_EQ(CheckHead("GET /\r\n").status, 400);
  EXPECT_EQ(CheckHead("GET / HTTP/1.1\r\nNo colon here\r\n").status, 400);
  EXPECT_EQ(CheckHead("GET / HTTP/1.1\r\nX: a\x01").status, 400);
}

TEST(RequestHeadCheck, ContentLengthMustBeACountWithinTheLimit) {
  auto cl = [](const std::string& v) {
    return CheckHead("POST /v2/ingest HTTP/1.1\r\nContent-Length: " + v + "\r\n\r\n");
  };
  EXPECT_EQ(cl("-1").status, 400);
  EXPECT_EQ(cl("12345678901234567890").status, 400);
  EXPECT_EQ(cl("1e3").status, 400);
  EXPECT_EQ(cl("").status, 400);
  auto big = cl("100000000000");
  EXPECT_EQ(big.status, 413);
  EXPECT_NE(big.error.find("67108864"), std::string::npos) << big.error;
  EXPECT_EQ(cl("67108864").state, RequestHead::State::kComplete);
  EXPECT_EQ(CheckHead("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n").status, 400);
  EXPECT_EQ(CheckHead("POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n").status, 400);
  EXPECT_EQ(CheckHead("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n").status, 400);
  EXPECT_EQ(CheckHead("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").state, RequestHead::State::kComplete);
}

TEST(RequestHeadCheck, OversizedHeadsAndTargets) {
  std::string head = "GET / HTTP/1.1\r\n";
  while (head.size() <= kHeadTestMaxHead) head += "X-Filler: " + std::string(100, 'a') + "\r\n";
  EXPECT_EQ(CheckHead(head).status, 431);
  EXPECT_EQ(CheckHead("GET /" + std::string(9000, 'a')).status, 414);
}

}  // namespace
}  // namespace ibr::http
