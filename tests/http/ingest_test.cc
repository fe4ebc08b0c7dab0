// POST /v2/ingest: the body reaches RecorderService::IngestBatch verbatim and
// its acknowledgement is the answer; 503 says why (read_only, disk_full,
// queue_full); 413 past the body limit.
#include <future>
#include <thread>

#include "http_test_support.h"

namespace ibr::http::testing {
namespace {

constexpr const char* kBody =
    R"({"type":"tick","stream_id":"s","timestamp":"2025-03-10T14:00:00Z","data":{"contract_id":1,"tick_type":"last","price":1.0,"size":2.0}})"
    "\nnot json\n";

class IngestTest : public HttpServerTest {};

TEST_F(IngestTest, AnswersTheAcknowledgementOnceDurable) {
  StartServer();
  service_->ingest = [](std::string_view) {
    daemon::IngestAck ack;
    ack.accepted = 1;
    ack.rejected = 1;
    ack.reasons = {{"bad_json", 1}};
    ack.lifecycle = 0;
    ack.files = 1;
    return Result<daemon::IngestAck>(ack);
  };
  auto res = Client()->Post("/v2/ingest", kBody, "application/x-ndjson");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  auto j = nlohmann::json::parse(res->body);
  EXPECT_EQ(j, nlohmann::json::parse(R"({"accepted":1,"rejected":1,"reasons":{"bad_json":1},"lifecycle":0,"files":1})"));
  ASSERT_EQ(service_->IngestBodies().size(), 1u);
  EXPECT_EQ(service_->IngestBodies()[0], kBody);
}

TEST_F(IngestTest, ReadOnlyRecorderRefusesWithoutCallingTheService) {
  auto c = DefaultConfig(store_.root());
  c.read_only = true;
  StartServer(c);
  auto res = Client()->Post("/v2/ingest", kBody, "application/x-ndjson");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(nlohmann::json::parse(res->body)["reason"], "read_only");
  EXPECT_TRUE(service_->IngestBodies().empty());
}

TEST_F(IngestTest, DiskFullAndSaturatedQueueAre503SayingWhich) {
  StartServer();
  struct Case {
    ibr::Status status;
    const char* reason;
  };
  for (const Case& c : {Case{ibr::Status::DiskFull("disk full: 10 MB free, floor 1024 MB"), "disk_full"},
                        Case{ibr::Status::Unavailable("writer queue full (65536 items)"), "queue_full"},
                        Case{ibr::Status::Busy("writer queue full"), "queue_full"}}) {
    service_->ingest = [&](std::string_view) { return Result<daemon::IngestAck>(c.status); };
    auto res = Client()->Post("/v2/ingest", kBody, "application/x-ndjson");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 503);
    auto j = nlohmann::json::parse(res->body);
    EXPECT_EQ(j["reason"], c.reason);
    EXPECT_EQ(j["error"], c.status.message());
  }
  service_->ingest = [](std::string_view) {
    daemon::IngestAck ack;
    ack.accepted = 0;
    ack.dropped = 5;
    return Result<daemon::IngestAck>(ack);
  };
  auto res = Client()->Post("/v2/ingest", kBody, "application/x-ndjson");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  auto j = nlohmann::json::parse(res->body);
  EXPECT_EQ(j["reason"], "disk_full");
  EXPECT_EQ(j["dropped"], 5);
}

// Issue 10 item 11: curl --data-binary and urllib send form content types;
// the body is NDJSON all the same (it was 413 "larger than 64 MiB" past 8 KiB).
TEST_F(IngestTest, BodiesWithAFormOrOtherContentTypeAreTakenAsNdjson) {
  StartServer();
  std::string body;
  while (body.size() < 20 * 1024) body += kBody;
  for (const char* type : {"application/x-www-form-urlencoded", "text/plain", "application/octet-stream"}) {
    auto res = Client()->Post("/v2/ingest", body, type);
    ASSERT_TRUE(res) << type;
    EXPECT_EQ(res->status, 200) << type << ": " << res->body;
  }
  auto without = Client()->Post("/v2/ingest", httplib::Headers{}, body.data(), body.size(), "");
  ASSERT_TRUE(without);
  EXPECT_EQ(without->status, 200) << without->body;
  ASSERT_EQ(service_->IngestBodies().size(), 4u);
  for (const auto& b : service_->IngestBodies()) EXPECT_EQ(b, body);
}

TEST_F(IngestTest, AMultipartFormIs415NamingTheExpectedType) {
  StartServer();
  httplib::MultipartFormDataItems items = {{"file", kBody, "ticks.ndjson", "application/x-ndjson"}};
  auto res = Client()->Post("/v2/ingest", items);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 415) << res->body;
  EXPECT_NE(res->body.find("application/x-ndjson"), std::string::npos) << res->body;
  EXPECT_TRUE(service_->IngestBodies().empty());
}

// Bodies are held whole until durable: only max_ingest_in_progress of them at once.
TEST_F(IngestTest, IngestBatchesPastTheInProgressBoundAre503QueueFull) {
  HttpServerOptions o = TestOptions();
  o.max_ingest_in_progress = 1;
  o.ingest_wait_ms = 0;
  StartServer(DefaultConfig(store_.root()), o);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto entered = std::make_shared<std::promise<void>>();
  auto in_service = entered->get_future();
  service_->ingest = [released, entered](std::string_view) {
    entered->set_value();
    released.wait();
    return Result<daemon::IngestAck>(daemon::IngestAck{});
  };
  std::thread first([&] {
    auto res = Client()->Post("/v2/ingest", kBody, "application/x-ndjson");
    EXPECT_TRUE(res && res->status == 200);
  });
  if (in_service.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    release.set_value();
    first.join();
    FAIL() << "the first batch never reached the service";
  }
  auto second = Client()->Post("/v2/ingest", kBody, "application/x-ndjson");
  release.set_value();
  first.join();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 503) << second->body;
  EXPECT_EQ(nlohmann::json::parse(second->body)["reason"], "queue_full");
  EXPECT_EQ(second->get_header_value("Retry-After"), "1");
  EXPECT_EQ(service_->IngestBodies().size(), 1u);
}

TEST_F(IngestTest, BodiesOverTheLimitAre413) {
  HttpServerOptions o = TestOptions();
  o.max_ingest_bytes = 1024;
  StartServer(DefaultConfig(store_.root()), o);
  auto res = Client()->Post("/v2/ingest", std::string(4096, 'x'), "application/x-ndjson");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  auto j = nlohmann::json::parse(res->body, nullptr, false);
  ASSERT_TRUE(j.is_object()) << res->body;
  EXPECT_NE(j["error"].get<std::string>().find("1024"), std::string::npos);
  EXPECT_TRUE(service_->IngestBodies().empty());
  auto small = Client()->Post("/v2/ingest", std::string(kBody), "application/x-ndjson");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200);
}

}  // namespace
}  // namespace ibr::http::testing
