// `config check`: validates an env file without starting anything — syntax,
// each variable against the registry, unknown IB_STREAM_*/IB_SYNC_* names,
// the ports inside the environment's block, client id and storage path unused
// by other environments' files in the same directory, the storage path
// writable (or creatable) by this user, tracked contracts within
// IB_STREAM_MAX_TRACKED. Reads files only; any thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/file_system.h"
#include "common/status.h"
#include "config/host_resolver.h"
#include "config/setting.h"

namespace ibr::config {

struct ConfigProblem {
  std::string variable;  // "" for a syntax error
  std::string value;     // printable; secrets "(not shown)"
  std::string message;   // the whole line: names the variable, the value and what is expected
};

struct ConfigCheckOptions {
  Program program = kRecorder;
  const HostResolver* resolver = &SystemHostResolver();
  // Extra check of IB_SYNC_DSN (ib-sync parses it with libpq); its message must not quote a password.
  std::function<Status(const std::string& dsn)> check_dsn;
};

// Problems found (empty: fine). NotFound / IOError when the file cannot be read.
Result<std::vector<ConfigProblem>> CheckEnvFile(FileSystem& fs, const std::string& path,
                                                const ConfigCheckOptions& options);

// {"file": ..., "ok": bool, "problems": [{"variable", "value", "message"}]}
std::string ProblemsJson(const std::string& path, const std::vector<ConfigProblem>& problems);

}  // namespace ibr::config
