// Auth: with IB_STREAM_API_KEY set every route but /health needs X-API-Key
// (401 JSON otherwise), the key never appears in an answer; without a key
// everything is open; a non-loopback bind without a key is refused.
#include "http/auth.h"

#include "http_test_support.h"

namespace ibr::http::testing {
namespace {

TEST(ApiKeyMatchesTest, OnlyTheExactKeyMatches) {
  EXPECT_TRUE(ApiKeyMatches("abc123", "abc123"));
  EXPECT_FALSE(ApiKeyMatches("abc123", "abc124"));
  EXPECT_FALSE(ApiKeyMatches("abc123", "abc12"));
  EXPECT_FALSE(ApiKeyMatches("abc123", "abc1234"));
  EXPECT_FALSE(ApiKeyMatches("abc123", ""));
  EXPECT_FALSE(ApiKeyMatches("", ""));  // no key configured never "matches"
}

class AuthTest : public HttpServerTest {
 protected:
  void StartWithKey() {
    auto c = DefaultConfig(store_.root());
    c.api_key = kApiKey;
    StartServer(c);
  }
};

TEST_F(AuthTest, EveryRouteButHealthNeedsTheKey) {
  StartWithKey();
  const std::vector<std::string> paths = {"/",
                                          "/metrics",
                                          "/background/status",
                                          "/storage/status",
                                          "/v2/buffer/265598/info",
                                          "/v2/buffer/265598/stats",
                                          "/v2/buffer/265598/range",
                                          "/v2/historical/265598/relative",
                                          "/v2/stream/265598",
                                          "/v2/stream/265598/with-buffer",
                                          "/no/such/route"};
  for (const auto& path : paths) {
    auto res = Client()->Get(path.c_str());
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 401) << path;
    auto j = nlohmann::json::parse(res->body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << path << ": " << res->body;
    EXPECT_NE(j["error"].get<std::string>().find("X-API-Key"), std::string::npos) << res->body;
    auto wrong = Client("not-the-key")->Get(path.c_str());
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 401) << path;
    EXPECT_EQ(wrong->body.find(kApiKey), std::string::npos);
  }
  auto post = Client()->Post("/v2/ingest", "{}", "application/x-ndjson");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 401);
  EXPECT_TRUE(service_->IngestBodies().empty());

  auto health = Client()->Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST_F(AuthTest, TheRightKeyOpensEveryRouteAndIsNeverEchoed) {
  StartWithKey();
  for (const char* path : {"/", "/metrics", "/background/status", "/storage/status", "/health",
                           "/v2/buffer/265598/info"}) {
    auto res = Client(kApiKey)->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path << ": " << res->body;
    EXPECT_EQ(res->body.find(kApiKey), std::string::npos) << path;
  }
  auto post = Client(kApiKey)->Post("/v2/ingest", "", "application/x-ndjson");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 200) << post->body;
}

TEST_F(AuthTest, WithoutAKeyEverythingIsOpen) {
  StartServer();
  for (const char* path : {"/", "/metrics", "/background/status", "/storage/status", "/health"}) {
    auto res = Client()->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path;
  }
}

TEST_F(AuthTest, NonLoopbackBindWithoutAKeyIsRefused) {
  FakeRecorderService service(store_.root(), DefaultConfig(store_.root()));
  HttpServerOptions o;
  o.bind = "0.0.0.0";
  HttpServer server(service, clock_, o);
  Status s = server.Start();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  EXPECT_NE(s.message().find("IB_STREAM_API_KEY"), std::string::npos);
}

TEST_F(AuthTest, TooFewThreadsForTheStreamBoundIsRefused) {
  FakeRecorderService service(store_.root(), DefaultConfig(store_.root()));
  HttpServerOptions o;
  o.threads = 16;
  o.max_live_streams = 16;
  HttpServer server(service, clock_, o);
  EXPECT_EQ(server.Start().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ibr::http::testing
