// `ib-sync run` on a host with no central database configured (no --dsn, IB_SYNC_DSN or
// PGHOST/PGHOSTADDR/PGSERVICE/PGDATABASE), as ib-sync@.service starts it beside a fresh
// recorder: the real binary says why it waits — once in its log, as READY=1 + STATUS= over
// the systemd notify socket, and in sync-state.json for the status page — keeps running
// instead of exiting (no restart loop), and ends cleanly (exit 0, STOPPING=1) on SIGTERM.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/notify_listener.h"
#include "common/file_system.h"
#include "sync_config.h"
#include "sync_state.h"

extern char** environ;

namespace ibr::sync {
namespace {

const std::string kUnconfiguredSyncBinary = std::string(IBR_BINARY_DIR) + "/sync/ib-sync";

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::size_t CountOccurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(UnconfiguredSyncRun, WaitsSayingWhyInLogAndNotifyStatusThenStopsCleanly) {
  char tmpl[] = "/tmp/ibr-sync-unconf-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  const std::string env_file = dir + "/development.env";
  std::ofstream(env_file) << "IB_STREAM_ENVIRONMENT=development\nIB_STREAM_STORAGE_PATH=" << dir << "/store\n";
  std::filesystem::create_directories(dir + "/store/metadata");  // the recorder has made its root
  std::ofstream(dir + "/store/metadata/catalog.sqlite") << "";
  const std::string log_path = dir + "/stderr.log";
  const std::string socket = "@ibr-sync-notify-" + std::to_string(::getpid());
  ibr::testing::NotifyListener listener(socket);
  ASSERT_TRUE(listener.bound());

  // The child's environment: this one without anything that names a database, plus the socket.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    if (kv.rfind("PG", 0) == 0 || kv.rfind("IB_SYNC_", 0) == 0 || kv.rfind("NOTIFY_SOCKET=", 0) == 0) continue;
    env_strings.push_back(kv);
  }
  env_strings.push_back("NOTIFY_SOCKET=" + socket);
  std::vector<char*> envp;
  for (auto& kv : env_strings) envp.push_back(kv.data());
  envp.push_back(nullptr);
  std::vector<std::string> args{kUnconfiguredSyncBinary, "run", "--env-file", env_file};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()), 0);
  posix_spawn_file_actions_destroy(&actions);

  const auto ready = listener.Receive(30000);  // deadline for a condition, not a timing
  ASSERT_TRUE(ready.has_value()) << "no READY from ib-sync; its log:\n" << ReadWholeFile(log_path);
  EXPECT_EQ(ready->rfind("READY=1\nSTATUS=waiting: no central database configured", 0), 0u) << *ready;
  EXPECT_NE(ready->find(env_file), std::string::npos) << *ready;  // says which file to edit
  int status = 0;
  EXPECT_EQ(::waitpid(pid, &status, WNOHANG), 0) << "ib-sync exited instead of waiting";
  // The recorder's status page reads why from sync-state.json.
  auto state = ReadSyncState(PosixFileSystem::Instance(), dir + "/store/metadata/sync-state.json");
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_EQ(state->state, "waiting");
  EXPECT_NE(state->last_error.value_or("").find("no central database configured"), std::string::npos);

  ::kill(pid, SIGTERM);
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const auto stopping = listener.Receive(30000);
  ASSERT_TRUE(stopping.has_value());
  EXPECT_EQ(stopping->rfind("STOPPING=1", 0), 0u) << *stopping;
  const std::string log = ReadWholeFile(log_path);
  EXPECT_EQ(CountOccurrences(log, "no central database configured"), 1u) << log;
  std::filesystem::remove_all(dir);
}

TEST(UnconfiguredSyncRun, ADsnOrALibpqServerVariableCountsAsConfigured) {
  SyncSettings s;
  std::map<std::string, std::string> vars;
  EnvLookup env = [&](const std::string& k) -> std::optional<std::string> {
    auto it = vars.find(k);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  EXPECT_FALSE(CentralDatabaseConfigured(s, env));
  vars["PGUSER"] = "ib_sync";  // a user alone names no server
  vars["PGHOST"] = "";
  EXPECT_FALSE(CentralDatabaseConfigured(s, env));
  for (const char* key : {"PGHOST", "PGHOSTADDR", "PGSERVICE", "PGDATABASE"}) {
    vars.clear();
    vars[key] = "x";
    EXPECT_TRUE(CentralDatabaseConfigured(s, env)) << key;
  }
  vars.clear();
  s.dsn = "host=central.example dbname=ib_stream_metadata";
  EXPECT_TRUE(CentralDatabaseConfigured(s, env));
}

}  // namespace
}  // namespace ibr::sync
