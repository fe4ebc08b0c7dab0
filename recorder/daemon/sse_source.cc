// SseSource: one thread per tracked contract -- connect, stream events into
// the service, report state changes, back off, reconnect; Stop() cuts every
// connection with httplib::Client::stop() and joins.
#include "daemon/sse_source.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "common/backoff.h"
#include "ingest/line_intake.h"
#include "ingest/v2_decoder.h"

namespace ibr::daemon {
namespace {

constexpr std::size_t kErrorBodyBytes = 300;  // of a non-200 answer, quoted in the cause

struct UpstreamUrl {
  std::string origin;     // "http://host:port", what httplib::Client takes
  std::string base_path;  // "" or "/prefix"
};

Result<UpstreamUrl> ParseUpstreamUrl(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  const std::size_t scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return Status::InvalidArgument("sse source: upstream URL '" + url +
                                   "' must start with http:// or https:// (set IB_STREAM_UPSTREAM_URL or --upstream)");
  }
  const std::size_t path_at = url.find('/', scheme_end + 3);
  UpstreamUrl out;
  out.origin = url.substr(0, path_at);
  if (path_at != std::string::npos) out.base_path = url.substr(path_at);
  if (out.origin.size() == scheme_end + 3) {
    return Status::InvalidArgument("sse source: upstream URL '" + url + "' has no host");
  }
  return out;
}

std::string Seconds(TimeUs us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f s", us < 10 * kUsPerSecond ? 3 : 0, static_cast<double>(us) / kUsPerSecond);
  return buf;
}

// The first line of a body, printable ASCII only, for a log line.
std::string OneLine(std::string_view body) {
  std::string out;
  for (char c : body) {
    if (c == '\n' || c == '\r') break;
    out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  return out;
}

template <typename SetFn>
void SetTimeout(TimeUs us, SetFn set) {
  us = std::max<TimeUs>(us, 1000);
  set(static_cast<time_t>(us / kUsPerSecond), static_cast<time_t>(us % kUsPerSecond));
}

class SseSource final : public TickSource {
 public:
  SseSource(const RecorderConfig& config, const Clock& clock, SseSourceOptions options)
      : url_text_(config.upstream_url.empty() ? "http://127.0.0.1:" + std::to_string(config.upstream_port)
                                              : config.upstream_url),
        tracked_(config.tracked),
        reconnect_delay_(config.reconnect_delay),
        clock_(clock),
        options_(std::move(options)) {
    if (!options_.log) options_.log = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  }
  ~SseSource() override { Stop(); }

  Status Start(RecorderService& service) override;
  void Stop() override;
  std::string name() const override { return "sse"; }

 private:
  struct Stream {
    TrackedContract contract;
    std::string path;               // /v2/stream/{id}?tick_types=...
    std::thread thread;
    std::atomic<bool> done{false};
    std::mutex mu;                  // guards client
    httplib::Client* client = nullptr;  // the open request, for Stop
  };
  enum class State { kStarting, kConnected, kDown };
  // What one thread keeps across its connections.
  struct Worker {
    Stream& stream;
    ingest::LineIntake intake;  // the one line rule + decoder every intake path uses
    SseParser parser;
    Backoff backoff;
    State state = State::kStarting;
    std::uint64_t attempts = 0;        // since the stream went down
    std::int64_t down_since = 0;       // Clock::MonotonicUs when it went down
    std::uint64_t events = 0;          // data events on this stream (the line number for Submit)
    std::uint64_t oversize_reported = 0;
    std::string last_lifecycle;        // "error CONTRACT_NOT_FOUND", for the cause of an end
  };

  void Run(Stream& stream);
  // One GET to its end. Returns the cause of the end.
  std::string Attempt(Worker& w);
  void OnEvent(Worker& w, const SseEvent& event);
  void ReportOversize(Worker& w);
  void OnConnected(Worker& w, const std::string& version);
  std::string DescribeEnd(const Worker& w, int status, httplib::Error error, const std::string& body,
                          std::int64_t quiet_us) const;
  void Log(const Stream& s, const std::string& what) {
    options_.log("upstream " + std::to_string(s.contract.contract_id) + " " + what);
  }

  const std::string url_text_;
  const std::vector<TrackedContract> tracked_;
  const TimeUs reconnect_delay_;
  const Clock& clock_;
  SseSourceOptions options_;
  UpstreamUrl url_;
  RecorderService* service_ = nullptr;
  std::vector<std::unique_ptr<Stream>> streams_;
  std::mutex mu_;                  // pairs with cv_
  std::condition_variable cv_;     // backoff waits; thread ends
  std::atomic<bool> stopping_{false};
};

Status SseSource::Start(RecorderService& service) {
  if (service_ != nullptr) return Status::FailedPrecondition("sse source: already started");
  auto url = ParseUpstreamUrl(url_text_);
  if (!url.ok()) return url.status();
  if (tracked_.empty()) {
    return Status::InvalidArgument(
        "sse source: no tracked contracts to stream (set IB_STREAM_TRACKED_CONTRACTS, e.g. 711280073:MNQ:bid_ask;last:1)");
  }
  url_ = std::move(url).value();
  service_ = &service;
  for (const auto& contract : tracked_) {
    auto s = std::make_unique<Stream>();
    s->contract = contract;
    std::string types;
    for (TickType t : contract.tick_types) {
      if (!types.empty()) types.push_back(',');
      types.append(TickTypeName(t));
    }
    if (types.empty()) types = "bid_ask,last";
    s->path = url_.base_path + "/v2/stream/" + std::to_string(contract.contract_id) + "?tick_types=" + types;
    streams_.push_back(std::move(s));
  }
  for (auto& s : streams_) {
    Stream* raw = s.get();
    s->thread = std::thread([this, raw] { Run(*raw); });
  }
  return Status::Ok();
}

void SseSource::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_.exchange(true)) return;
  }
  cv_.notify_all();
  for (auto& s : streams_) {
    // client->stop() shuts the socket of a request in flight. A thread may
    // be just about to open one, so repeat until the thread has ended.
    while (!s->done.load()) {
      {
        std::lock_guard<std::mutex> lock(s->mu);
        if (s->client) s->client->stop();
      }
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(20), [&] { return s->done.load(); });
    }
    if (s->thread.joinable()) s->thread.join();
  }
}

void SseSource::Run(Stream& s) {
  std::mt19937_64 rng(options_.jitter_seed != 0 ? options_.jitter_seed + s.contract.contract_id
                                                : std::random_device{}());
  BackoffPolicy policy{reconnect_delay_, options_.max_backoff, options_.healthy_after};
  Worker w{s, {}, SseParser(options_.max_event_bytes),
           Backoff(policy, clock_, [&rng] { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); })};
  while (!stopping_.load()) {
    ++w.attempts;
    const std::string cause = Attempt(w);
    if (stopping_.load()) break;
    if (w.state != State::kDown) {
      service_->StreamDisconnected(s.contract.contract_id, cause);
      Log(s, "disconnected: " + cause + "; retrying with backoff");
      w.state = State::kDown;
      w.attempts = 0;
      w.down_since = clock_.MonotonicUs();
    } else {
      service_->StreamAttemptFailed(s.contract.contract_id, cause);
    }
    const TimeUs delay = w.backoff.Failed();
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::microseconds(delay), [&] { return stopping_.load(); });
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    s.done.store(true);
  }
  cv_.notify_all();
}

std::string SseSource::Attempt(Worker& w) {
  Stream& s = w.stream;
  httplib::Client client(url_.origin);
  SetTimeout(options_.connect_timeout, [&](time_t sec, time_t usec) { client.set_connection_timeout(sec, usec); });
  SetTimeout(options_.read_timeout, [&](time_t sec, time_t usec) { client.set_read_timeout(sec, usec); });
  client.set_keep_alive(false);
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (stopping_.load()) return "stopping";
    s.client = &client;
  }
  w.parser.Reset();
  int status = 0;
  std::string body;  // of a non-200 answer
  std::int64_t last_byte = clock_.MonotonicUs();
  const SseParser::Sink sink = [this, &w](const SseEvent& e) { OnEvent(w, e); };
  const httplib::Headers headers = {{"Accept", "text/event-stream"},
                                    {"Cache-Control", "no-cache"},
                                    {"User-Agent", "ib-recorder/" IBR_VERSION}};
  auto result = client.Get(
      s.path, headers,
      [&](const httplib::Response& response) {
        status = response.status;
        if (stopping_.load()) return false;
        if (status == 200) OnConnected(w, response.get_header_value("X-IB-Stream-Version"));
        return true;
      },
      [&](const char* data, std::size_t size) {
        if (stopping_.load()) return false;
        if (status != 200) {
          body.append(data, std::min(size, kErrorBodyBytes - body.size()));
          return body.size() < kErrorBodyBytes;
        }
        last_byte = clock_.MonotonicUs();
        w.parser.Feed(std::string_view(data, size), sink);
        w.parser.DispatchIfWholeJson(sink);
        ReportOversize(w);
        return true;
      });
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.client = nullptr;
  }
  if (status == 200) {
    w.parser.Finish(sink);  // the last event has no other end in the ib-stream framing
    ReportOversize(w);
  }
  return DescribeEnd(w, status, result.error(), body, clock_.MonotonicUs() - last_byte);
}

void SseSource::OnConnected(Worker& w, const std::string& version) {
  const std::uint32_t id = w.stream.contract.contract_id;
  service_->StreamConnected(id);
  w.backoff.Connected();
  std::string note = version.empty() ? " (no X-IB-Stream-Version header)"
                     : version.rfind("2.", 0) == 0 ? ""
                                                   : " (X-IB-Stream-Version " + OneLine(version) + ", expected 2.x)";
  if (w.state == State::kDown) {
    Log(w.stream, "reconnected after " + std::to_string(w.attempts) + (w.attempts == 1 ? " attempt" : " attempts") +
                      " (down " + Seconds(clock_.MonotonicUs() - w.down_since) + ")" + note);
  } else {
    Log(w.stream, "connected: " + url_.origin + w.stream.path + note);
  }
  w.state = State::kConnected;
  w.attempts = 0;
  w.last_lifecycle.clear();
}

void SseSource::OnEvent(Worker& w, const SseEvent& event) {
  ingest::DecodeResult result;
  w.intake.Decode(event.data, clock_.Now(), result);
  if (result.kind == ingest::DecodeResult::Kind::kLifecycle && result.lifecycle.type != "info") {
    w.last_lifecycle = result.lifecycle.type + (result.lifecycle.code.empty() ? "" : " " + result.lifecycle.code);
  }
  service_->Submit(std::move(result), ++w.events, event.data);
}

void SseSource::ReportOversize(Worker& w) {
  while (w.oversize_reported < w.parser.dropped_oversize()) {
    ++w.oversize_reported;
    ingest::DecodeResult reject;
    reject.kind = ingest::DecodeResult::Kind::kReject;
    reject.reason = ingest::RejectReason::kLineTooLong;
    reject.detail = "SSE event over " + std::to_string(options_.max_event_bytes) + " bytes dropped";
    service_->Submit(std::move(reject), ++w.events, std::string_view());
  }
}

std::string SseSource::DescribeEnd(const Worker& w, int status, httplib::Error error, const std::string& body,
                                   std::int64_t quiet_us) const {
  const std::string where = url_.origin + w.stream.path;
  if (status == 200) {
    if (error == httplib::Error::Success) {
      return "the upstream ended the stream" + (w.last_lifecycle.empty() ? "" : " after " + w.last_lifecycle);
    }
    if (error == httplib::Error::Read && quiet_us >= options_.read_timeout - options_.read_timeout / 10) {
      return "no data for " + Seconds(quiet_us) + " (read timeout; not even a heartbeat)";
    }
    if (error == httplib::Error::Read) return "the upstream closed the connection mid-stream (or the network failed)";
    return "connection lost (" + httplib::to_string(error) + ")";
  }
  if (status > 0) {
    std::string text = OneLine(body);
    return "HTTP " + std::to_string(status) + " from " + where + (text.empty() ? "" : ": " + text);
  }
  switch (error) {
    case httplib::Error::Connection:
      return "cannot connect to " + url_.origin + " (refused or unreachable)";
    case httplib::Error::ConnectionTimeout:
      return "connecting to " + url_.origin + " timed out after " + Seconds(options_.connect_timeout);
    case httplib::Error::Read:
      return "no answer from " + where + " within " + Seconds(options_.read_timeout);
    default:
      return httplib::to_string(error) + " error on " + where;
  }
}

}  // namespace

std::unique_ptr<TickSource> MakeSseSource(const RecorderConfig& config, const Clock& clock) {
  return MakeSseSource(config, clock, SseSourceOptions{});
}

std::unique_ptr<TickSource> MakeSseSource(const RecorderConfig& config, const Clock& clock, SseSourceOptions options) {
  return std::make_unique<SseSource>(config, clock, std::move(options));
}

}  // namespace ibr::daemon
