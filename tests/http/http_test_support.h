// Test support for the HTTP server: a FakeRecorderService (scripted status,
// subscriptions the test pushes ticks into, scripted ingest), a real storage
// root written with storage::Store, the server fixture on 127.0.0.1 with a
// port the server picks, and an SSE reader. Test-only.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/file_system.h"
#include "common/time_text.h"
#include "daemon/recorder_service.h"
#include "http/http_server.h"
#include "storage/layout.h"
#include "storage/store.h"

namespace ibr::http::testing {

constexpr std::uint32_t kAapl = 265598;     // tracked, with files
constexpr std::uint32_t kMnq = 711280073;   // tracked, no files
constexpr std::uint32_t kLoose = 12345;     // files only (ingested, not tracked)
constexpr std::uint32_t kUnknown = 999999;  // neither
constexpr const char* kApiKey = "s3cret-key-0123";

inline TimeUs T(const char* iso) {
  auto t = ParseIsoTimestamp(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(0);
}

// A tick whose upstream `sequence` names it (ticks carry no arrival_seq in JSON).
inline Tick Named(std::uint32_t cid, TickType tt, TimeUs ts, std::uint64_t id) {
  Tick t;
  t.contract_id = cid;
  t.tick_type = tt;
  t.timestamp_us = ts;
  t.stream_id = "bg_" + std::to_string(cid) + "_" + std::string(TickTypeName(tt));
  t.sequence = id;
  return t;
}

inline Tick Quote(std::uint32_t cid, TimeUs ts, std::uint64_t id) {
  Tick t = Named(cid, TickType::kBidAsk, ts, id);
  t.bid_price = 100.0 + static_cast<double>(id % 1000) / 100.0;
  t.ask_price = *t.bid_price + 0.25;
  t.bid_size = 3;
  t.ask_size = 4;
  return t;
}

inline Tick Trade(std::uint32_t cid, TimeUs ts, std::uint64_t id) {
  Tick t = Named(cid, TickType::kLast, ts, id);
  t.price = 200.0 + static_cast<double>(id % 1000) / 100.0;
  t.size = 10;
  t.exchange = "NASDAQ";
  return t;
}

// A real storage root with its one writer (as the running recorder holds it).
class StoreRoot {
 public:
  explicit StoreRoot(const Clock& clock) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "ibr-http-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
    storage::StoreOptions o;
    o.root = root_;
    o.instance_name = "http-test";
    o.environment = "development";
    auto s = storage::Store::Open(o, PosixFileSystem::Instance(), clock);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (s.ok()) store_ = std::move(s).value();
  }
  ~StoreRoot() {
    store_.reset();
    std::filesystem::remove_all(root_);
  }
  const std::string& root() const { return root_; }

  // Appends and flushes (readable by queries at once); returns the ticks with arrival_seq set.
  std::vector<Tick> Add(std::vector<Tick> ticks) {
    std::lock_guard<std::mutex> lock(mu_);
    for (Tick& t : ticks) EXPECT_TRUE(store_->writer().Append(t).ok());
    EXPECT_TRUE(store_->writer().Flush(false).ok());
    return ticks;
  }
  Tick Add(Tick t) { return Add(std::vector<Tick>{std::move(t)}).front(); }

 private:
  std::string root_;
  std::mutex mu_;
  std::unique_ptr<storage::Store> store_;
};

class FakeRecorderService final : public daemon::RecorderService {
 public:
  FakeRecorderService(std::string root, daemon::RecorderConfig config)
      : root_(std::move(root)), config_(std::move(config)) {}

  void Submit(ingest::DecodeResult, std::uint64_t, std::string_view) override {}
  void StreamConnected(std::uint32_t) override {}
  void StreamDisconnected(std::uint32_t, const std::string&) override {}

  Result<daemon::IngestAck> IngestBatch(std::string_view body) override {
    std::lock_guard<std::mutex> lock(mu_);
    ingest_bodies.emplace_back(body);
    if (ingest) return ingest(body);
    return daemon::IngestAck{};
  }

  Result<std::shared_ptr<daemon::LiveSubscription>> Subscribe(std::uint32_t contract_id,
                                                              std::vector<TickType> tick_types) override {
    if (refuse_subscribe) return ibr::Status::Unavailable("the recorder is stopping");
    auto sub = std::make_shared<daemon::LiveSubscription>(contract_id, std::move(tick_types), capacity);
    sub->set_start_seq(start_seq.load());
    if (on_subscribe) on_subscribe(sub);
    std::lock_guard<std::mutex> lock(mu_);
    subs_.push_back(sub);
    ++subscribed_;
    cv_.notify_all();
    return sub;
  }
  void Unsubscribe(const std::shared_ptr<daemon::LiveSubscription>& sub) override {
    std::lock_guard<std::mutex> lock(mu_);
    subs_.erase(std::remove(subs_.begin(), subs_.end(), sub), subs_.end());
    ++unsubscribed_;
    cv_.notify_all();
  }
  daemon::RecorderStatus Status() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }
  const daemon::RecorderConfig& config() const override { return config_; }
  const std::string& storage_root() const override { return root_; }
  void Stop(const std::string&) override {}

  // --- test controls ---
  void SetStatus(daemon::RecorderStatus s) {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = std::move(s);
  }
  bool WaitSubscribed(std::size_t n) { return WaitFor([&] { return subscribed_ >= n; }); }
  bool WaitUnsubscribed(std::size_t n) { return WaitFor([&] { return unsubscribed_ >= n; }); }
  // A short wait, for loops that also move the clock.
  bool WaitUnsubscribedBriefly(std::size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::milliseconds(50), [&] { return unsubscribed_ >= n; });
  }
  std::size_t unsubscribed() {
    std::lock_guard<std::mutex> lock(mu_);
    return unsubscribed_;
  }
  std::vector<std::shared_ptr<daemon::LiveSubscription>> Subscriptions() {
    std::lock_guard<std::mutex> lock(mu_);
    return subs_;
  }
  std::vector<std::string> IngestBodies() {
    std::lock_guard<std::mutex> lock(mu_);
    return ingest_bodies;
  }

  std::atomic<std::uint64_t> start_seq{0};
  std::size_t capacity = 100000;
  bool refuse_subscribe = false;
  std::function<void(const std::shared_ptr<daemon::LiveSubscription>&)> on_subscribe;
  std::function<Result<daemon::IngestAck>(std::string_view)> ingest;

 private:
  template <typename Pred>
  bool WaitFor(Pred pred) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(20), pred);
  }

  const std::string root_;
  const daemon::RecorderConfig config_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  daemon::RecorderStatus status_;
  std::vector<std::shared_ptr<daemon::LiveSubscription>> subs_;
  std::size_t subscribed_ = 0, unsubscribed_ = 0;
  std::vector<std::string> ingest_bodies;
};

// One parsed SSE event.
struct SseEvent {
  std::string event;
  nlohmann::json data;
  std::string id;  // the `id:` line, if any
};

// An SSE client on its own thread; Close() ends it.
class SseReader {
 public:
  SseReader(int port, std::string path, httplib::Headers headers = {}) {
    thread_ = std::thread([this, port, path = std::move(path), headers = std::move(headers)] {
      httplib::Client c("127.0.0.1", port);
      {
        std::lock_guard<std::mutex> lock(mu_);
        client_ = &c;
      }
      c.set_read_timeout(120, 0);
      auto r = c.Get(
          path, headers,
          [this](const httplib::Response& res) {
            std::lock_guard<std::mutex> lock(mu_);
            status_ = res.status;
            response_headers_ = res.headers;
            cv_.notify_all();
            return true;
          },
          [this](const char* d, std::size_t n) {
            std::lock_guard<std::mutex> lock(mu_);
            text_.append(d, n);
            ParseNew();
            cv_.notify_all();
            return !closing_;
          });
      std::lock_guard<std::mutex> lock(mu_);
      if (r && status_ == 0) status_ = r->status;
      if (r && body_.empty()) body_ = r->body;
      client_ = nullptr;
      ended_ = true;
      cv_.notify_all();
    });
  }
  ~SseReader() { Close(); }

  void Close() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closing_ = true;
      if (client_ != nullptr) client_->stop();
    }
    if (thread_.joinable()) thread_.join();
  }
  // Waits (up to 30 s) until `pred(events)` holds.
  bool WaitFor(const std::function<bool(const std::vector<SseEvent>&)>& pred) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(30), [&] { return ended_ || pred(events_); });
    return pred(events_);
  }
  bool WaitEvents(std::size_t n) {
    return WaitFor([n](const std::vector<SseEvent>& e) { return e.size() >= n; });
  }
  bool WaitEnded() {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(30), [&] { return ended_; });
  }
  int WaitStatus() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(30), [&] { return status_ != 0 || ended_; });
    return status_;
  }
  std::vector<SseEvent> Events() {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
  }
  std::string Text() {
    std::lock_guard<std::mutex> lock(mu_);
    return text_;
  }
  std::string Header(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = response_headers_.find(name);
    return it == response_headers_.end() ? "" : it->second;
  }
  std::string Body() {
    std::lock_guard<std::mutex> lock(mu_);
    return body_.empty() ? text_ : body_;
  }

  // Complete events ("event: X\ndata: Y\n\n") in `text` from `pos` on; `pos` moves past them.
  static std::vector<SseEvent> Parse(const std::string& text, std::size_t& pos) {
    std::vector<SseEvent> out;
    while (true) {
      const std::size_t end = text.find("\n\n", pos);
      if (end == std::string::npos) break;
      std::string block = text.substr(pos, end - pos);
      pos = end + 2;
      SseEvent e;
      std::size_t line_start = 0;
      while (line_start <= block.size()) {
        std::size_t nl = block.find('\n', line_start);
        std::string line = block.substr(line_start, nl == std::string::npos ? std::string::npos : nl - line_start);
        if (line.rfind("event: ", 0) == 0) e.event = line.substr(7);
        if (line.rfind("id: ", 0) == 0) e.id = line.substr(4);
        if (line.rfind("data: ", 0) == 0) e.data = nlohmann::json::parse(line.substr(6), nullptr, false);
        if (nl == std::string::npos) break;
        line_start = nl + 1;
      }
      out.push_back(std::move(e));
    }
    return out;
  }

 private:
  void ParseNew() {
    for (auto& e : Parse(text_, parsed_)) events_.push_back(std::move(e));
  }

  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  httplib::Client* client_ = nullptr;
  bool closing_ = false, ended_ = false;
  int status_ = 0;
  httplib::Headers response_headers_;
  std::string text_, body_;
  std::size_t parsed_ = 0;
  std::vector<SseEvent> events_;
};

inline std::vector<SseEvent> OfType(const std::vector<SseEvent>& events, const std::string& type) {
  std::vector<SseEvent> out;
  for (const auto& e : events) {
    if (e.event == type) out.push_back(e);
  }
  return out;
}

inline std::size_t CountOf(const std::vector<SseEvent>& events, const std::string& type) {
  return static_cast<std::size_t>(
      std::count_if(events.begin(), events.end(), [&](const SseEvent& e) { return e.event == type; }));
}

inline daemon::RecorderConfig DefaultConfig(const std::string& root) {
  daemon::RecorderConfig c;
  c.environment = "development";
  c.instance_name = "http-test";
  c.storage_path = root;
  c.source = "http";
  c.tracked = {{kAapl, "AAPL", {TickType::kBidAsk, TickType::kLast}, 2},
               {kMnq, "MNQ", {TickType::kBidAsk, TickType::kLast}, 1}};
  c.stale_after = 300 * kUsPerSecond;
  return c;
}

// The real server over a fake service and a real storage root.
class HttpServerTest : public ::testing::Test {
 protected:
  static constexpr const char* kNow = "2025-03-10T15:00:00Z";

  HttpServerTest() : clock_(T(kNow)), store_(clock_) {}
  ~HttpServerTest() override { StopServer(); }

  void StartServer(daemon::RecorderConfig config, HttpServerOptions options = TestOptions()) {
    StopServer();
    service_ = std::make_unique<FakeRecorderService>(store_.root(), std::move(config));
    server_ = std::make_unique<HttpServer>(*service_, clock_, options);
    Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_GT(server_->port(), 0);
  }
  void StartServer() { StartServer(DefaultConfig(store_.root())); }
  void StopServer() {
    if (server_) server_->Stop();
    server_.reset();
    service_.reset();
  }
  // A client that went away is noticed at the next write: move the clock so
  // heartbeats are written until the server has let go of `n` streams.
  bool AdvanceUntilUnsubscribed(std::size_t n) {
    for (int i = 0; i < 400; ++i) {
      if (service_->WaitUnsubscribedBriefly(n)) return true;
      clock_.Advance(15 * kUsPerSecond);
    }
    return false;
  }
  static HttpServerOptions TestOptions() {
    HttpServerOptions o;
    o.poll_ms = 20;
    return o;
  }

  std::unique_ptr<httplib::Client> Client(const std::string& key = "") {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    c->set_read_timeout(60, 0);
    if (!key.empty()) c->set_default_headers({{"X-API-Key", key}});
    return c;
  }
  // GET and parse a JSON answer; fails the test when it is not JSON.
  nlohmann::json GetJson(const std::string& path, int expected_status = 200) {
    auto res = Client()->Get(path.c_str());
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    auto j = nlohmann::json::parse(res->body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << path << ": " << res->body;
    return j;
  }

  ManualClock clock_;
  StoreRoot store_;
  std::unique_ptr<FakeRecorderService> service_;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace ibr::http::testing
