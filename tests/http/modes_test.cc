// Modes over HTTP: every mode shows as `mode` on /health (and its checks), /background/status
// (and its config), the status page and /metrics (ib_recorder_mode{mode}); in passthrough a missing storage root makes historical,
// buffer and with-buffer answer 503 naming the root (recording over the same missing root does not).
#include "http_test_support.h"

namespace ibr::http::testing {
namespace {

class ModesTest : public HttpServerTest {
 protected:
  // The server over a fake service whose storage root is `root`.
  void StartOver(const std::string& root, daemon::RecorderConfig config) {
    StopServer();
    service_ = std::make_unique<FakeRecorderService>(root, std::move(config));
    server_ = std::make_unique<HttpServer>(*service_, clock_, TestOptions());
    ASSERT_TRUE(server_->Start().ok());
  }
};

TEST_F(ModesTest, EveryModeIsOnHealthBackgroundStatusAndTheStatusPage) {
  StartServer();
  for (const char* mode : {"recording", "isolated", "passthrough", "read-only"}) {
    daemon::RecorderStatus s;
    s.mode = mode;
    s.read_only = std::string(mode) == "passthrough" || std::string(mode) == "read-only";
    service_->SetStatus(s);
    auto health = GetJson("/health");
    EXPECT_EQ(health["mode"], mode);
    EXPECT_EQ(health["checks"]["mode"], mode);
    auto background = GetJson("/background/status");
    EXPECT_EQ(background["mode"], mode);
    EXPECT_EQ(background["config"]["mode"], mode);
    auto page = Client()->Get("/");
    ASSERT_TRUE(page);
    const std::string shown = s.read_only ? "<span class=\"warn\">" + std::string(mode) + "</span>" : std::string(mode);
    EXPECT_NE(page->body.find("<th>mode</th><td>" + shown + "</td>"), std::string::npos) << mode;
    auto metrics = Client()->Get("/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_NE(metrics->body.find("\nib_recorder_mode{mode=\"" + std::string(mode) + "\"} 1\n"), std::string::npos)
        << metrics->body;
  }
}

TEST_F(ModesTest, PassthroughWithoutARootAnswers503NamingIt) {
  const std::string missing = store_.root() + "/no/such/root";
  auto c = DefaultConfig(missing);
  c.mode = daemon::RecorderMode::kPassthrough;
  c.read_only = true;
  c.source = "sse";
  c.upstream_url = "http://127.0.0.1:9";
  StartOver(missing, c);
  const std::string id = std::to_string(kAapl);
  const std::vector<std::string> paths = {
      "/v2/historical/" + id + "/relative?period=1h",
      "/v2/historical/" + id + "/range?start_time=2025-03-10T14:00:00Z&end_time=2025-03-10T15:00:00Z",
      "/v2/buffer/" + id + "/info", "/v2/buffer/" + id + "/range?duration=1h", "/v2/stream/" + id + "/with-buffer"};
  for (const std::string& path : paths) {
    auto j = GetJson(path, 503);
    EXPECT_EQ(j["reason"], "no_storage") << path;
    EXPECT_EQ(j["storage_path"], missing) << path;
    EXPECT_NE(j["error"].get<std::string>().find(missing + " does not exist"), std::string::npos) << path;
  }
  // Recording over the same missing root: no 503 (no catalog yet means no ticks).
  c.mode = daemon::RecorderMode::kRecording;
  c.read_only = false;
  StartOver(missing, c);
  auto j = GetJson("/v2/historical/" + id + "/relative?period=1h");
  EXPECT_EQ(j["count"], 0);
}

}  // namespace
}  // namespace ibr::http::testing
