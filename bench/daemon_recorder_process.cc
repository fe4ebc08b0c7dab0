// RecorderProcess: fork/exec of `ib-recorder run`, /proc readers, small HTTP helpers.
#include "daemon_recorder_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <httplib.h>

extern char** environ;

namespace ibr::bench {

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) Die("socket: " + std::string(std::strerror(errno)));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof(a);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    Die("could not find a free port: " + std::string(std::strerror(errno)));
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

void Die(const std::string& what) {
  std::fprintf(stderr, "bench: %s\n", what.c_str());
  std::exit(1);
}

long ProcStatusKb(pid_t pid, const char* name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  if (!in) return -1;
  const std::string key = std::string(name) + ":";
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) == 0) return std::strtol(line.c_str() + key.size(), nullptr, 10);
  }
  return -1;
}

double ProcCpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(in)), {});
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const auto close = s.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(s.substr(close + 2));
  std::string f;
  unsigned long long utime = 0, stime = 0;
  for (int field = 3; rest >> f; ++field) {
    if (field == 14) utime = std::stoull(f);
    if (field == 15) {
      stime = std::stoull(f);
      break;
    }
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double SelfCpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

RecorderLaunch ScratchLaunch(const std::string& bin, const std::string& dir, const std::string& source,
                             const std::map<std::string, std::string>& env) {
  RecorderLaunch l;
  l.bin = bin;
  l.storage = dir + "/store";
  l.source = source;
  l.log_path = dir + "/recorder.log";
  l.env = {{"IB_STREAM_ENVIRONMENT", "development"}, {"IB_STREAM_MIN_FREE_MB", "1"}};
  for (const auto& [k, v] : env) l.env[k] = v;
  return l;
}

RecorderProcess::RecorderProcess(const RecorderLaunch& launch) : log_path_(launch.log_path) {
  port_ = FreePort();
  std::vector<std::string> args = {launch.bin, "run", "--storage", launch.storage, "--port", std::to_string(port_),
                                   "--source", launch.source};
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view kv(*e);
    if (kv.starts_with("IB_STREAM_") || kv.starts_with("PORT=")) continue;
    env.emplace_back(kv);
  }
  for (const auto& [k, v] : launch.env) env.push_back(k + "=" + v);
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  const int log = ::open(launch.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) Die("cannot open " + launch.log_path + ": " + std::strerror(errno));
  pid_ = ::fork();
  if (pid_ < 0) Die("fork: " + std::string(std::strerror(errno)));
  if (pid_ == 0) {
    ::dup2(log, 1);
    ::dup2(log, 2);
    ::execve(argv[0], argv.data(), envp.data());
    std::fprintf(stderr, "exec %s: %s\n", argv[0], std::strerror(errno));
    ::_exit(127);
  }
  ::close(log);
  std::string body;
  for (int i = 0; i < 300; ++i) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      Die("ib-recorder exited during start-up; see " + log_path_);
    }
    if (HttpGet(port_, "/health", &body) == 200) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  Stop();
  Die("ib-recorder did not answer /health with 200 within 30 s; see " + log_path_);
}

RecorderProcess::~RecorderProcess() { Stop(); }

int RecorderProcess::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 2000; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

int HttpGet(int port, const std::string& path, std::string* body) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(2, 0);
  c.set_read_timeout(30, 0);
  auto r = c.Get(path.c_str());
  if (!r) return 0;
  *body = r->body;
  return r->status;
}

double MetricValue(const std::string& metrics, const std::string& series) {
  std::size_t at = 0;
  while ((at = metrics.find(series, at)) != std::string::npos) {
    const bool line_start = at == 0 || metrics[at - 1] == '\n';
    const std::size_t after = at + series.size();
    if (line_start && after < metrics.size() && metrics[after] == ' ') return std::strtod(&metrics[after + 1], nullptr);
    at = after;
  }
  return -1;
}

}  // namespace ibr::bench
