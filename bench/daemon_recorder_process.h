// RecorderProcess: the daemon benches' handle on a real `ib-recorder run` child process — start
// it on a free loopback port in a scratch storage root, wait for /health, read its memory and CPU
// from /proc, stop it with SIGTERM. Also the small HTTP helpers both daemon benches share.
// Bench code only (exits on setup errors); one owner thread, the /proc readers from any thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ibr::bench {

// A loopback port nobody listens on right now (bind to 0, read it back, close).
int FreePort();

// Prints "<bench>: <what>" and exits 1.
[[noreturn]] void Die(const std::string& what);

// `name` from /proc/<pid>/status in kB ("VmRSS", "VmHWM"); -1 once the process is gone.
long ProcStatusKb(pid_t pid, const char* name);
// utime + stime of the process in seconds (all its threads).
double ProcCpuSeconds(pid_t pid);
// CPU seconds this process (all threads) has used so far.
double SelfCpuSeconds();

struct RecorderLaunch {
  std::string bin;                           // ib-recorder
  std::string storage;                       // --storage (created by the recorder)
  std::string source = "http";               // --source
  std::map<std::string, std::string> env;    // set on top of the environment (IB_STREAM_* of ours removed first)
  std::string log_path;                      // stdout + stderr of the child
};

// A recorder in `dir` (storage dir/store, log dir/recorder.log), environment development, free-space
// floor 1 MB (scratch disks may be small), plus `env`.
RecorderLaunch ScratchLaunch(const std::string& bin, const std::string& dir, const std::string& source,
                             const std::map<std::string, std::string>& env);

class RecorderProcess {
 public:
  // Starts the recorder and waits (up to 30 s) until GET /health answers 200; dies otherwise.
  explicit RecorderProcess(const RecorderLaunch& launch);
  ~RecorderProcess();  // Stop()
  RecorderProcess(const RecorderProcess&) = delete;
  RecorderProcess& operator=(const RecorderProcess&) = delete;

  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  // SIGTERM, wait up to 20 s (then SIGKILL); the exit status, or -1 when it had to be killed.
  int Stop();

 private:
  std::string log_path_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// GET `path` on 127.0.0.1:port; the HTTP status (0 when no answer) and the body.
int HttpGet(int port, const std::string& path, std::string* body);
// A counter or gauge from /metrics text (first sample whose line starts with `series`), or -1.
double MetricValue(const std::string& metrics, const std::string& series);

}  // namespace ibr::bench
