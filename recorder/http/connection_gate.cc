// ConnectionGate: the poll thread, the two worker pools, the caps.
#include "http/connection_gate.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "http/connection_stream.h"
#include "http/json_reply.h"
#include "http/request_head.h"

namespace ibr::http {
namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr int kMaxPollWaitMs = 1000;
thread_local bool close_after_answer = false;

using SteadyClock = std::chrono::steady_clock;

const char* StatusText(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

const char* ReasonOf(int status) {
  switch (status) {
    case 408: return "request_timeout";
    case 413: return "body_too_large";
    case 414: return "target_too_long";
    case 431: return "head_too_large";
    case 503: return "busy";
    default: return "bad_request";
  }
}

bool IsHealth(const RequestHead& h) {
  return h.method == "GET" && (h.target == "/health" || h.target.rfind("/health?", 0) == 0);
}

void CloseFd(int fd) {
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

}  // namespace

struct ConnectionGate::Conn {
  int fd = -1;
  std::string ip;
  int port = 0;
  std::string buf;
  Deadline deadline;
  bool draining = false;   // answered early: reading what is left, then closing
  bool check_now = false;  // buffered bytes to look at before polling
  bool eof = false;
  bool gone = false;       // handed to a worker or closed
  std::size_t served = 0;
  std::uint64_t order = 0;
};

ConnectionGate::ConnectionGate(const HttpServerOptions& options, Serve serve)
    : options_(options), serve_(std::move(serve)) {}

ConnectionGate::~ConnectionGate() { Stop(); }

void ConnectionGate::CloseAfterAnswer() { close_after_answer = true; }

Status ConnectionGate::Start() {
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) return Status::Internal("cannot create the HTTP connection gate's eventfd");
  pool_ = std::make_unique<httplib::ThreadPool>(options_.threads);
  health_pool_ = std::make_unique<httplib::ThreadPool>(std::max<std::size_t>(1, options_.health_threads));
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void ConnectionGate::Wake() {
  const std::uint64_t one = 1;
  if (wake_fd_ >= 0) {
    [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
  }
}

void ConnectionGate::Admit(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  Conn c;
  c.fd = fd;
  if (!SocketAddress(fd, true, c.ip, c.port)) c.ip = "unknown";
  c.deadline = SteadyClock::now() + std::chrono::milliseconds(options_.head_timeout_ms);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_.load() && thread_.joinable()) {
      c.order = next_order_++;
      incoming_.push_back(std::move(c));
      c.fd = -1;
    }
  }
  if (c.fd >= 0) {
    CloseFd(c.fd);
    return;
  }
  Wake();
}

void ConnectionGate::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_.exchange(true)) return;
  }
  Wake();
  if (thread_.joinable()) thread_.join();
  if (pool_) pool_->shutdown();
  if (health_pool_) health_pool_->shutdown();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& c : incoming_) CloseFd(c.fd);
  incoming_.clear();
  if (wake_fd_ >= 0) ::close(wake_fd_);
  wake_fd_ = -1;
}

ConnectionGate::Counters ConnectionGate::counters() const {
  Counters c;
  c.waiting = waiting_.load();
  {
    std::lock_guard<std::mutex> lock(mu_);
    c.in_progress = in_progress_;
  }
  c.refused_busy = refused_busy_.load();
  c.timed_out = timed_out_.load();
  c.bad_requests = bad_requests_.load();
  return c;
}

// An answer written by the gate itself (no handler ran): JSON, then the
// connection closes — after `linger`, reading away what the client still sends
// so it sees the answer rather than a reset.
void ConnectionGate::EarlyAnswer(Conn& c, int status, const std::string& message, bool linger) {
  if (status == 503) {
    refused_busy_.fetch_add(1);
  } else if (status == 408) {
    timed_out_.fetch_add(1);
  } else {
    bad_requests_.fetch_add(1);
  }
  const std::string body = JsonText(Json{{"error", message}, {"reason", ReasonOf(status)}}) + "\n";
  std::string text = "HTTP/1.1 " + std::to_string(status) + " " + StatusText(status) +
                     "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                     (status == 503 ? "\r\nRetry-After: 1" : "") + "\r\nConnection: close\r\n\r\n" + body;
  [[maybe_unused]] auto n = ::send(c.fd, text.data(), text.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  if (!linger) {
    CloseFd(c.fd);
    c.gone = true;
    return;
  }
  ::shutdown(c.fd, SHUT_WR);
  c.draining = true;
  c.buf.clear();
  c.buf.shrink_to_fit();
  c.deadline = SteadyClock::now() + std::chrono::milliseconds(options_.linger_ms);
}

// A connection arrives at the poll thread; past the bounds the oldest waiting one makes room.
void ConnectionGate::Take(std::vector<Conn>& conns, Conn&& c) {
  auto oldest_waiting = [&](const std::string* ip, std::size_t& count) {
    Conn* oldest = nullptr;
    count = 0;
    for (auto& o : conns) {
      if (o.gone || o.draining || (ip != nullptr && o.ip != *ip)) continue;
      ++count;
      if (oldest == nullptr || o.order < oldest->order) oldest = &o;
    }
    return oldest;
  };
  std::size_t n = 0;
  Conn* victim = oldest_waiting(&c.ip, n);
  if (victim != nullptr && n >= options_.max_waiting_per_client) {
    EarlyAnswer(*victim, 503,
                "too many connections from " + c.ip + " waiting to send a request; this one waited longest", false);
  }
  victim = oldest_waiting(nullptr, n);
  if (victim != nullptr && n >= options_.max_waiting_connections) {
    EarlyAnswer(*victim, 503, "too many connections waiting to send a request; this one waited longest", false);
  }
  std::size_t draining = 0;
  for (auto& o : conns) draining += (!o.gone && o.draining) ? 1 : 0;
  if (draining >= options_.max_waiting_connections) {  // lingering is a courtesy: drop the oldest at once
    for (auto& o : conns) {
      if (!o.gone && o.draining) {
        CloseFd(o.fd);
        o.gone = true;
        break;
      }
    }
  }
  c.check_now = !c.buf.empty();
  conns.push_back(std::move(c));
}

void ConnectionGate::OnReadable(Conn& c) {
  char chunk[kReadChunk];
  for (;;) {
    const ssize_t n = ::recv(c.fd, chunk, sizeof chunk, MSG_DONTWAIT);
    if (n > 0) {
      if (!c.draining) c.buf.append(chunk, static_cast<std::size_t>(n));
      if (!c.draining && c.buf.size() > options_.max_head_bytes + kReadChunk) break;  // enough to judge the head
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) c.eof = true;
    break;
  }
  if (c.draining) {
    if (c.eof) {
      CloseFd(c.fd);
      c.gone = true;
    }
    return;
  }
  Examine(c);
}

void ConnectionGate::Examine(Conn& c) {
  const RequestHead head = CheckRequestHead(c.buf, options_.max_ingest_bytes, options_.max_head_bytes);
  switch (head.state) {
    case RequestHead::State::kBad:
      return EarlyAnswer(c, head.status, head.error, !c.eof);
    case RequestHead::State::kComplete:
      return Dispatch(c, IsHealth(head));
    case RequestHead::State::kIncomplete:
      if (c.eof) {  // the client went away mid-head (or never sent one)
        CloseFd(c.fd);
        c.gone = true;
      }
      return;
  }
}

void ConnectionGate::Dispatch(Conn& c, bool health) {
  std::string refused;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (health) {
      if (health_waiting_ >= options_.max_health_waiting) {
        refused = "too many /health requests at once (" + std::to_string(health_waiting_) + "); try again";
      } else {
        ++health_waiting_;
      }
    } else {
      std::size_t& mine = per_client_[c.ip];
      if (in_progress_ >= options_.threads) {
        refused = "the server is busy: " + std::to_string(in_progress_) +
                  " requests are in progress, the most it serves at once; try again shortly";
      } else if (mine >= options_.max_requests_per_client) {
        refused = std::to_string(mine) + " requests from " + c.ip +
                  " are in progress, the most one client may have at once; try again shortly";
      } else {
        ++in_progress_;
        ++mine;
      }
      if (mine == 0) per_client_.erase(c.ip);
    }
  }
  if (!refused.empty()) return EarlyAnswer(c, 503, refused, !c.eof);
  auto owned = std::make_shared<Conn>(std::move(c));
  c.gone = true;
  c.fd = -1;
  (health ? health_pool_ : pool_)->enqueue([this, owned, health] { Work(owned, health); });
}

void ConnectionGate::Work(std::shared_ptr<Conn> c, bool health) {
  close_after_answer = false;
  ConnectionStream strm(c->fd, std::move(c->buf), c->ip, c->port, options_.read_timeout_seconds * 1000,
                        options_.write_timeout_seconds * 1000,
                        SteadyClock::now() + std::chrono::seconds(options_.body_timeout_seconds), stopping_);
  c->buf.clear();
  const bool last = stopping_.load() || c->served + 1 >= options_.keep_alive_max_requests;
  bool closed = false;
  bool ok = false;
  try {
    ok = serve_(strm, last, closed);
  } catch (...) {  // process_request catches handler exceptions; this is a last resort
    ok = false;
  }
  ++c->served;
  const bool keep = ok && !closed && !last && !close_after_answer;
  close_after_answer = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (health) {
      --health_waiting_;
    } else {
      --in_progress_;
      auto it = per_client_.find(c->ip);
      if (it != per_client_.end() && --it->second == 0) per_client_.erase(it);
    }
    if (!stopping_.load()) {
      c->buf = keep ? strm.TakeUnread() : std::string();
      c->check_now = false;
      c->eof = false;
      if (keep) {
        c->deadline = SteadyClock::now() + std::chrono::milliseconds(options_.keep_alive_idle_ms);
      } else {  // answered: let the client read it, take what it still sends, then close
        ::shutdown(c->fd, SHUT_WR);
        c->draining = true;
        c->deadline = SteadyClock::now() + std::chrono::milliseconds(options_.linger_ms);
      }
      c->order = next_order_++;
      incoming_.push_back(std::move(*c));
      c->fd = -1;
    }
  }
  if (c->fd >= 0) {
    CloseFd(c->fd);
    return;
  }
  Wake();
}

void ConnectionGate::Run() {
  std::vector<Conn> conns;
  std::vector<pollfd> fds;
  while (!stopping_.load()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      std::vector<Conn> arrived = std::move(incoming_);
      incoming_.clear();
      for (auto& c : arrived) Take(conns, std::move(c));
    }
    for (auto& c : conns) {
      if (!c.gone && c.check_now) {
        c.check_now = false;
        Examine(c);
      }
    }
    // Deadlines: slow heads get 408, idle kept-alive connections and lingering ones are closed.
    const auto now = SteadyClock::now();
    for (auto& c : conns) {
      if (c.gone || now < c.deadline) continue;
      if (!c.draining && !c.buf.empty()) {
        EarlyAnswer(c, 408,
                    "the request head did not arrive within " + std::to_string(options_.head_timeout_ms / 1000) +
                        " s; send the request line and headers at once",
                    false);
      } else {
        CloseFd(c.fd);
        c.gone = true;
      }
    }
    std::erase_if(conns, [](const Conn& c) { return c.gone; });
    std::uint64_t waiting = 0;
    for (const auto& c : conns) waiting += c.draining ? 0 : 1;
    waiting_.store(waiting);

    fds.assign(1, pollfd{wake_fd_, POLLIN, 0});
    int timeout = kMaxPollWaitMs;
    for (const auto& c : conns) {
      fds.push_back(pollfd{c.fd, static_cast<short>(POLLIN | POLLRDHUP), 0});
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(c.deadline - now).count() + 1;
      timeout = static_cast<int>(std::clamp<std::int64_t>(left, 0, timeout));
    }
    const int ready = ::poll(fds.data(), fds.size(), timeout);
    if (ready < 0) continue;  // EINTR
    if (fds[0].revents != 0) {
      std::uint64_t v;
      [[maybe_unused]] auto n = ::read(wake_fd_, &v, sizeof v);
    }
    const std::size_t polled = fds.size() - 1;  // fds[i + 1] is conns[i]
    for (std::size_t i = 0; i < polled; ++i) {
      if (fds[i + 1].revents != 0 && !conns[i].gone) OnReadable(conns[i]);
    }
  }
  for (auto& c : conns) {
    if (!c.gone) CloseFd(c.fd);
  }
}

}  // namespace ibr::http
