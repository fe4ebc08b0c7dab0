// The connection gate on the real server (loopback): slow request heads
// (issue 10 item 5) cost no worker — /health and ingest answer while 70 of
// them trickle in; malformed heads are answered 400 at once, oversized bodies
// 413 before they are sent, a head that never completes 408; requests past
// the per-client cap get 503 while /health still answers.
#include <memory>
#include <vector>

#include "http_test_support.h"
#include "raw_connection.h"

namespace ibr::http::testing {
namespace {

constexpr int kAnswerDeadlineMs = 20'000;  // generous: a sanitizer build on a loaded machine

class ConnectionGateTest : public HttpServerTest {
 protected:
  std::unique_ptr<httplib::Client> PatientClient() {
    auto c = Client();
    c->set_connection_timeout(kAnswerDeadlineMs / 1000, 0);
    c->set_read_timeout(kAnswerDeadlineMs / 1000, 0);
    return c;
  }
};

TEST_F(ConnectionGateTest, SlowHeadsBlockNeitherHealthNorIngest) {
  StartServer();  // default options: 64 workers
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 70; ++i) {
    slow.push_back(std::make_unique<RawConnection>(server_->port()));
    ASSERT_TRUE(slow.back()->ok());
    ASSERT_TRUE(slow.back()->Send("GET /health HTTP/1.1\r\nHost: x\r\n"));
  }
  for (int round = 0; round < 3; ++round) {
    for (auto& s : slow) s->Send("X-Slow-" + std::to_string(round) + ": 1\r\n");
    auto health = PatientClient()->Get("/health");
    ASSERT_TRUE(health) << "round " << round << ": /health gave no answer while 70 heads trickle in";
    EXPECT_EQ(health->status, 200);
    auto ingest = PatientClient()->Post("/v2/ingest", "{}\n", "application/x-ndjson");
    ASSERT_TRUE(ingest) << "round " << round << ": ingest gave no answer while 70 heads trickle in";
    EXPECT_EQ(ingest->status, 200) << ingest->body;
  }
  EXPECT_EQ(service_->IngestBodies().size(), 3u);
}

TEST_F(ConnectionGateTest, MalformedHeadsAreAnswered400AtOnce) {
  StartServer();
  const std::string kRandom("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\x9a\x7f\x00\x13garbage", 22);
  for (const std::string& request :
       {kRandom, std::string("POST /v2/ingest HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
        std::string("POST /v2/ingest HTTP/1.1\r\nHost: x\r\nContent-Length: 12345678901234567890\r\n\r\n"),
        std::string("GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")}) {
    RawConnection c(server_->port());
    ASSERT_TRUE(c.Send(request));
    const std::string answer = c.Read(kAnswerDeadlineMs, "}\n");  // the JSON body's end
    EXPECT_EQ(StatusOf(answer), 400) << "for " << request.substr(0, 40) << ": " << answer;
    EXPECT_NE(answer.find("\"error\""), std::string::npos) << answer;
    EXPECT_TRUE(c.WaitClosed(kAnswerDeadlineMs));
  }
  auto metrics = Client()->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("ib_recorder_http_refused_total{reason=\"bad\"} 4\n"), std::string::npos)
      << metrics->body;
}

TEST_F(ConnectionGateTest, AnOversizedBodyIs413BeforeItIsSent) {
  StartServer();
  RawConnection c(server_->port());
  ASSERT_TRUE(c.Send("POST /v2/ingest HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000000\r\n\r\n"));
  const std::string answer = c.Read(kAnswerDeadlineMs, "}\n");
  EXPECT_EQ(StatusOf(answer), 413) << answer;
  EXPECT_NE(answer.find("request body larger than 67108864 bytes"), std::string::npos) << answer;
}

TEST_F(ConnectionGateTest, AHeadThatNeverCompletesIsAnswered408AndClosed) {
  HttpServerOptions o = TestOptions();
  o.head_timeout_ms = 300;
  StartServer(DefaultConfig(store_.root()), o);
  RawConnection c(server_->port());
  ASSERT_TRUE(c.Send("GET /health HTTP/1.1\r\nHost: x\r\n"));
  const std::string answer = c.Read(kAnswerDeadlineMs, "}\n");
  EXPECT_EQ(StatusOf(answer), 408) << answer;
  EXPECT_TRUE(c.WaitClosed(kAnswerDeadlineMs));
  // A complete request on a fresh connection is served as usual.
  EXPECT_EQ(GetJson("/health")["status"], "ok");
}

TEST_F(ConnectionGateTest, RequestsPastThePerClientCapGet503WhileHealthAnswers) {
  HttpServerOptions o = TestOptions();
  o.max_requests_per_client = 2;
  StartServer(DefaultConfig(store_.root()), o);
  SseReader a(server_->port(), "/v2/stream/265598");
  SseReader b(server_->port(), "/v2/stream/265598");
  ASSERT_TRUE(service_->WaitSubscribed(2));
  auto over = GetJson("/v2/buffer/265598/info", 503);
  EXPECT_EQ(over["reason"], "busy") << over.dump();
  EXPECT_NE(over["error"].get<std::string>().find("127.0.0.1"), std::string::npos) << over.dump();
  EXPECT_EQ(GetJson("/health")["status"], "ok");
}

TEST_F(ConnectionGateTest, KeepAliveAndPipelinedRequestsAreServedInOrder) {
  StartServer();
  RawConnection c(server_->port());
  ASSERT_TRUE(c.Send("GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string answer = c.Read(kAnswerDeadlineMs, "no such endpoint");
  EXPECT_EQ(StatusOf(answer), 200) << answer;
  EXPECT_NE(answer.find("HTTP/1.1 404"), std::string::npos) << answer;
  auto cl = Client();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(cl->Get("/health")->status, 200);  // one kept-alive connection
}

}  // namespace
}  // namespace ibr::http::testing
