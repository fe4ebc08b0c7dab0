// SseSimulatorServer: routes, one paced Simulator per open stream, the
// ib-stream SSE framing, and a shutdown that ends every stream promptly.
#include "daemon/sse_simulator_server.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "common/time_text.h"
#include "daemon/json_string_state.h"
#include "ingest/upstream_names.h"

namespace ibr::daemon {
namespace {

constexpr std::size_t kMaxWriteBytes = 1 << 20;   // one write to the socket at most
constexpr TimeUs kMaxIdleWait = 100'000;          // re-check the clock at least this often
constexpr std::string_view kDefaultTickTypes = "bid_ask,last";

bool IsFuture(std::string_view symbol) {
  return symbol == "MNQ" || symbol == "NQ" || symbol == "ES" || symbol == "MES";
}

// "event: <type>\ndata: <json>\n" -- the real server's framing: no blank line.
void AppendEventHead(std::string& out, std::string_view type) {
  out.append("event: ");
  out.append(type);
  out.append("\ndata: ");
}

void AppendQuoted(std::string& out, std::string_view key, std::string_view value) {
  out.push_back('"');
  out.append(key);
  out.append("\": \"");
  out.append(value);  // ids, symbols, tick type names, ISO times: nothing to escape
  out.push_back('"');
}

// {"type": T, "stream_id": S, "timestamp": TS, "data": DATA}
void AppendEnvelope(std::string& out, std::string_view type, std::string_view stream_id, TimeUs now,
                    std::string_view data) {
  AppendEventHead(out, type);
  out.push_back('{');
  AppendQuoted(out, "type", type);
  out.append(", ");
  AppendQuoted(out, "stream_id", stream_id);
  out.append(", ");
  AppendQuoted(out, "timestamp", FormatIsoTimestamp(now));
  out.append(", \"data\": ");
  out.append(data);
  out.append("}\n");
}

std::string JsonDetail(std::string_view detail) {
  std::string out = "{\"detail\": \"";
  for (char c : detail) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.append("\"}");
  return out;
}

// One open stream: its own Simulator started at "now", paced on the clock.
class PacedStream {
 public:
  PacedStream(ingest::SimulatorOptions sim, std::string symbol, std::uint64_t stream_number, const Clock& clock,
              TimeUs heartbeat_interval, const std::atomic<bool>& stopping, std::mutex& mu,
              std::condition_variable& cv, std::atomic<std::uint64_t>& ticks_sent)
      : clock_(clock),
        heartbeat_interval_(heartbeat_interval),
        stopping_(stopping),
        mu_(mu),
        cv_(cv),
        ticks_sent_(ticks_sent),
        tick_types_(sim.tick_types),
        symbol_(std::move(symbol)),
        contract_id_(sim.contracts.front().id),
        start_(sim.start),
        sim_(std::move(sim)) {
    const std::string cid = std::to_string(contract_id_);
    const std::string ms = std::to_string(start_ / 1000);
    for (std::size_t i = 0; i < tick_types_.size(); ++i) {
      const auto salt = 1000 + (stream_number * 7919 + i * 104729) % 9000;
      stream_ids_.push_back(cid + "_" + std::string(TickTypeName(tick_types_[i])) + "_" + ms + "_" +
                            std::to_string(salt));
    }
    last_write_ = clock_.MonotonicUs();
  }

  // One turn of httplib's chunked provider loop. False ends the stream.
  bool Pump(httplib::DataSink& sink) {
    if (stopping_.load()) return false;
    buf_.clear();
    const TimeUs now = clock_.Now();
    if (!info_sent_) {
      AppendInfo(now);
      info_sent_ = true;
    }
    std::uint64_t ticks = 0;
    while (buf_.size() < kMaxWriteBytes && sim_.NextTimestamp() <= now && sim_.Next(&line_)) {
      AppendEventHead(buf_, "tick");
      AppendWireSpacedJson(buf_, line_);
      buf_.push_back('\n');
      ++ticks;
    }
    const std::int64_t mono = clock_.MonotonicUs();
    if (buf_.empty() && heartbeat_interval_ > 0 && mono - last_write_ >= heartbeat_interval_) {
      AppendEnvelope(buf_, "heartbeat", stream_ids_.front(), now, "{}");
    }
    if (!buf_.empty()) {
      last_write_ = mono;
      if (!sink.write(buf_.data(), buf_.size())) return false;
      ticks_sent_.fetch_add(ticks);
      return true;
    }
    // Nothing due: wait for the next tick, the next heartbeat or Stop.
    TimeUs wait = std::min(sim_.NextTimestamp() - now, kMaxIdleWait);
    if (heartbeat_interval_ > 0) wait = std::min(wait, last_write_ + heartbeat_interval_ - mono);
    wait = std::max<TimeUs>(wait, 0);
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::microseconds(wait), [&] { return stopping_.load(); });
    return !stopping_.load();
  }

 private:
  void AppendInfo(TimeUs now) {
    const bool future = IsFuture(symbol_);
    for (std::size_t i = 0; i < tick_types_.size(); ++i) {
      std::string data = "{\"status\": \"subscribed\", \"contract_info\": {";
      AppendQuoted(data, "symbol", symbol_);
      data.append(", ");
      AppendQuoted(data, "exchange", future ? "CME" : "SMART");
      data.append(", ");
      AppendQuoted(data, "currency", "USD");
      data.append(", ");
      AppendQuoted(data, "contract_type", future ? "FUT" : "STK");
      data.append("}, \"stream_config\": {");
      AppendQuoted(data, "tick_type", TickTypeName(tick_types_[i]));
      data.append("}}");
      AppendEnvelope(buf_, "info", stream_ids_[i], now, data);
    }
  }

  const Clock& clock_;
  const TimeUs heartbeat_interval_;
  const std::atomic<bool>& stopping_;
  std::mutex& mu_;
  std::condition_variable& cv_;
  std::atomic<std::uint64_t>& ticks_sent_;
  const std::vector<TickType> tick_types_;
  const std::string symbol_;
  const std::uint32_t contract_id_;
  const TimeUs start_;
  ingest::Simulator sim_;
  std::vector<std::string> stream_ids_;
  std::string buf_, line_;
  bool info_sent_ = false;
  std::int64_t last_write_ = 0;
};

}  // namespace

void AppendWireSpacedJson(std::string& out, std::string_view json) {
  JsonStringState strings;
  const std::size_t n = json.size();
  const std::size_t at = out.size();
  out.resize(at + 2 * n);  // at most one space per byte; written through a pointer (hot in the server)
  char* w = out.data() + at;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = json[i];
    *w++ = c;
    if (strings.Structural(c) && (c == ',' || c == ':') && (i + 1 == n || json[i + 1] != ' ')) *w++ = ' ';
  }
  out.resize(static_cast<std::size_t>(w - out.data()));
}

struct SseSimulatorServer::Impl {
  Impl(SseSimulatorServerOptions o, const Clock& c) : options(std::move(o)), clock(c) {}

  void HandleStream(const httplib::Request& req, httplib::Response& res, std::string_view tick_types_text);
  void Reply(httplib::Response& res, int status, std::string_view detail) {
    res.status = status;
    res.set_content(JsonDetail(detail), "application/json");
  }

  SseSimulatorServerOptions options;
  const Clock& clock;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  bool started = false;
  std::atomic<bool> stopping{false};
  std::mutex mu;                 // guards failures; pairs with cv
  std::condition_variable cv;    // wakes idle streams on Stop
  std::map<std::uint32_t, int> failures;
  std::atomic<int> open_streams{0};
  std::atomic<std::uint64_t> streams_opened{0};
  std::atomic<std::uint64_t> ticks_sent{0};
};

void SseSimulatorServer::Impl::HandleStream(const httplib::Request& req, httplib::Response& res,
                                            std::string_view tick_types_text) {
  const std::string id_text = req.matches[1];
  const auto id = ingest::ParseContractIdDigits(id_text);
  if (!id) return Reply(res, 400, "invalid contract id '" + id_text + "' (expected 1 to 4294967295)");
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = failures.find(*id);
    if (it != failures.end()) return Reply(res, it->second, "simulated failure for contract " + id_text);
  }
  const auto types = ParseTickTypeList(tick_types_text);
  if (!types || types->empty()) {
    return Reply(res, 400, "invalid tick types '" + std::string(tick_types_text) +
                               "' (expected a comma-separated list of bid_ask, last, all_last, mid_point)");
  }
  if (open_streams.load() >= options.max_streams) {
    return Reply(res, 503, "too many open streams (" + std::to_string(options.max_streams) + "); close one and retry");
  }
  std::string symbol;
  for (const auto& c : options.contracts) {
    if (c.id == *id) symbol = c.symbol;
  }
  ingest::SimulatorOptions sim;
  sim.contracts = {{*id, symbol}};
  sim.tick_types = *types;
  sim.rate = options.rate;
  sim.start = clock.Now();
  sim.duration = 0;  // never ends
  sim.seed = options.seed + *id;
  if (Status st = ingest::ValidateSimulatorOptions(sim); !st.ok()) return Reply(res, 500, st.message());

  auto stream = std::make_shared<PacedStream>(std::move(sim), symbol, streams_opened.fetch_add(1), clock,
                                              options.heartbeat_interval, stopping, mu, cv, ticks_sent);
  open_streams.fetch_add(1);
  res.set_header("X-IB-Stream-Version", "2.0.0");
  res.set_header("Cache-Control", "no-cache");
  res.set_chunked_content_provider(
      "text/event-stream", [stream](std::size_t, httplib::DataSink& sink) { return stream->Pump(sink); },
      [this](bool) { open_streams.fetch_sub(1); });
}

SseSimulatorServer::SseSimulatorServer(SseSimulatorServerOptions options, const Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), clock)) {}

SseSimulatorServer::~SseSimulatorServer() { Stop(); }

Status SseSimulatorServer::Start(const std::string& host_in, int port) {
  Impl& m = *impl_;
  if (m.started) return Status::FailedPrecondition("simulator server: Start may be called once");
  const std::string host = host_in.empty() ? "127.0.0.1" : host_in;
  const std::size_t threads = static_cast<std::size_t>(std::max(m.options.max_streams, 1)) + 4;
  m.server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  m.server.set_keep_alive_timeout(1);  // idle keep-alive connections must not hold up Stop for long
  // httplib 0.11's default sets SO_REUSEPORT on Linux: a second server on a
  // port in use would bind and share its connections. SO_REUSEADDR only:
  // a port in use is refused, a restart over TIME_WAIT sockets still binds.
  m.server.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });

  m.server.Get(R"(/v2/stream/(\d+))", [&m](const httplib::Request& req, httplib::Response& res) {
    const std::string types = req.has_param("tick_types") ? req.get_param_value("tick_types") : std::string(kDefaultTickTypes);
    m.HandleStream(req, res, types);
  });
  m.server.Get(R"(/v2/stream/(\d+)/([A-Za-z_]+))", [&m](const httplib::Request& req, httplib::Response& res) {
    m.HandleStream(req, res, req.matches[2].str());
  });
  m.server.Get("/health", [&m](const httplib::Request&, httplib::Response& res) {
    std::string body = "{\"status\": \"healthy\", \"simulated\": true, \"open_streams\": " +
                       std::to_string(m.open_streams.load()) + ", \"timestamp\": \"" +
                       FormatIsoTimestamp(m.clock.Now()) + "\"}";
    res.set_header("X-IB-Stream-Version", "2.0.0");
    res.set_content(body, "application/json");
  });

  if (port == 0) {
    m.port = m.server.bind_to_any_port(host);
  } else {
    m.port = m.server.bind_to_port(host, port) ? port : -1;
  }
  if (m.port <= 0) {
    m.port = 0;
    return Status::Unavailable("simulator server: cannot listen on " + host + ":" + std::to_string(port) +
                               " (address in use or not local to this host; pick another)");
  }
  m.started = true;
  m.thread = std::thread([&m] { m.server.listen_after_bind(); });
  // httplib 0.11 has no wait_until_ready(), and stop() before the loop runs
  // is lost: wait (bounded) until it runs.
  for (int i = 0; i < 5000 && !m.server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Status::Ok();
}

int SseSimulatorServer::port() const { return impl_->port; }

void SseSimulatorServer::Stop() {
  Impl& m = *impl_;
  if (!m.started || m.stopping.exchange(true)) return;
  {
    std::lock_guard<std::mutex> lock(m.mu);  // no stream between its check and its wait
  }
  m.cv.notify_all();
  m.server.stop();
  if (m.thread.joinable()) m.thread.join();  // the pool joins its threads: every stream has ended
}

void SseSimulatorServer::SetFailure(std::uint32_t contract_id, int http_status) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (http_status == 0) {
    impl_->failures.erase(contract_id);
  } else {
    impl_->failures[contract_id] = http_status;
  }
}

int SseSimulatorServer::open_streams() const { return impl_->open_streams.load(); }
std::uint64_t SseSimulatorServer::streams_opened() const { return impl_->streams_opened.load(); }
std::uint64_t SseSimulatorServer::ticks_sent() const { return impl_->ticks_sent.load(); }

}  // namespace ibr::daemon
