// ib-sync subcommands (CLI11).
#include "cli.h"

#include <signal.h>
#include <stdlib.h>

#include <CLI/CLI.hpp>
#include <libpq-fe.h>
#include <cstdio>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "catalog_reader.h"
#include "common/file_system.h"
#include "common/json_text.h"
#include "common/time_text.h"
#include "config/config_check.h"
#include "config/config_text.h"
#include "config/effective_settings.h"
#include "config/settings_registry.h"
#include "pg/dsn.h"
#include "common/env_file.h"
#include "common/systemd_notifier.h"
#include "pg_central_store.h"
#include "schema_installer.h"
#include "storage/layout.h"
#include "sync_agent.h"
#include "sync_config.h"
#include "sync_state.h"

namespace ibr::sync {

namespace {

struct Options {
  std::string env_file, storage, dsn, interval, batch_rows;
  std::string sync_password, reporter_password;
  bool json = false;
};

void Log(const std::string& msg) { std::cerr << "ib-sync: " << pg::MaskSecrets(msg) << std::endl; }

int Fail(const Status& s) {
  Log(s.message());
  return s.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

std::optional<std::string> ProcessEnv(const std::string& key) {
  const char* v = std::getenv(key.c_str());
  return v ? std::optional<std::string>(v) : std::nullopt;
}

struct Resolved {
  SyncSettings settings;
  EnvMap env_file;
};

// Reads the env file, resolves settings, exports the file's PG* variables for libpq.
Result<Resolved> Resolve(const Options& o, CLI::App* sub) {
  Resolved r;
  if (!o.env_file.empty()) {
    auto env = ReadEnvFile(PosixFileSystem::Instance(), o.env_file);
    if (!env.ok()) return Status::InvalidArgument(env.status().message());
    r.env_file = std::move(env).value();
  }
  CliSettings cli;
  auto given = [&](const char* name, const std::string& v) {
    return sub->count(name) ? std::optional<std::string>(v) : std::nullopt;
  };
  cli.storage = given("--storage", o.storage);
  cli.dsn = given("--dsn", o.dsn);
  cli.interval = given("--interval", o.interval);
  cli.batch_rows = given("--batch-rows", o.batch_rows);
  auto s = ResolveSettings(cli, ProcessEnv, r.env_file);
  if (!s.ok()) return s.status();
  r.settings = *s;
  for (const auto& [k, v] : LibpqVariablesToExport(r.env_file, ProcessEnv)) setenv(k.c_str(), v.c_str(), 0);
  setenv("PGCONNECT_TIMEOUT", "10", 0);  // a silent network must not hang a pass forever
  setenv("PGAPPNAME", "ib-sync", 0);
  return r;
}

std::optional<std::string> Secret(const std::string& given, const char* env_key, const EnvMap& file) {
  if (!given.empty()) return given;
  if (auto v = ProcessEnv(env_key)) return v;
  if (auto it = file.find(env_key); it != file.end()) return it->second;
  return std::nullopt;
}

AgentOptions MakeAgentOptions(const SyncSettings& s) {
  AgentOptions a;
  a.catalog_path = storage::CatalogPath(s.storage_root);
  a.state_path = storage::SyncStatePath(s.storage_root);
  a.batch_rows = s.batch_rows;
  a.interval = s.interval;
  return a;
}

// `ib-sync run` on a host with no central database yet: waits quietly until stopped (one log
// line; the reason as its systemd status and in sync-state.json) instead of failing and being
// restarted over and over.
int WaitUnconfigured(const SyncSettings& s, const std::string& env_file, Sleeper& sleeper,
                     const SystemdNotifier& notifier, const std::function<void(const Status&)>& notify) {
  const std::string why = "waiting: no central database configured (set IB_SYNC_DSN, or PGHOST and PGDATABASE, in " +
                          (env_file.empty() ? std::string("the env file") : env_file) +
                          ", then restart ib-sync); nothing is replicated";
  Log(why);
  // The recorder's status page and /metrics show it too, once the recorder has made the
  // storage root (rewritten each minute, so a root made later still gets it).
  SyncState waiting;
  waiting.state = "waiting";
  waiting.last_error = why;
  const std::string state_path = storage::SyncStatePath(s.storage_root);
  auto write_state = [&] {
    waiting.updated_at = SystemClock::Instance().Now();
    auto& fs = PosixFileSystem::Instance();
    if (fs.Exists(storage::CatalogPath(s.storage_root))) (void)WriteSyncState(fs, state_path, waiting);
  };
  write_state();
  notify(notifier.Ready(why));
  while (sleeper.SleepFor(60 * kUsPerSecond)) write_state();
  waiting.state = "stopped";
  write_state();
  notify(notifier.Stopping("stopping"));
  Log("stopped");
  return 0;
}

int CmdRun(const SyncSettings& s, const std::string& env_file) {
  // SIGTERM / SIGINT are taken by a thread that stops the loop; the batch in flight finishes.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  RealSleeper sleeper;
  std::thread([set, &sleeper]() mutable {
    int sig = 0;
    sigwait(&set, &sig);
    Log(std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + ", stopping after the current batch");
    sleeper.Stop();
  }).detach();

  // Type=notify: READY once running; every state change the agent logs is also its status line.
  const SystemdNotifier notifier = SystemdNotifier::FromEnvironment();
  bool notify_warned = false;  // a broken notify socket is logged once, not per state change
  auto notify = [&notify_warned](const Status& sent) {
    if (!sent.ok() && !notify_warned) Log("warning: " + sent.message());
    notify_warned = notify_warned || !sent.ok();
  };
  if (!CentralDatabaseConfigured(s, ProcessEnv)) return WaitUnconfigured(s, env_file, sleeper, notifier, notify);
  PgCentralStore store(s.dsn);
  auto log_and_status = [&](const std::string& line) {
    Log(line);
    notify(notifier.SetStatus(pg::MaskSecrets(line)));
  };
  SyncAgent agent(MakeAgentOptions(s), store, SystemClock::Instance(), sleeper, PosixFileSystem::Instance(),
                  log_and_status);
  const std::string what = "replicating " + storage::CatalogPath(s.storage_root) + " to " + pg::DescribeDsn(s.dsn) +
                           " every " + std::to_string(s.interval / 1000) + " ms";
  Log(what);
  notify(notifier.Ready(pg::MaskSecrets(what)));
  agent.Run();
  notify(notifier.Stopping("stopping"));
  Log("stopped");
  return 0;
}

int CmdOnce(const SyncSettings& s, bool resync) {
  RealSleeper sleeper;
  PgCentralStore store(s.dsn);
  SyncAgent agent(MakeAgentOptions(s), store, SystemClock::Instance(), sleeper, PosixFileSystem::Instance(), Log);
  auto r = agent.RunPass(resync);
  if (!r.ok()) return Fail(r.status());
  const auto& st = agent.state();
  std::cout << (resync ? "re-sent " : "sent ") << r->rows << " changes in " << r->batches << " batches; "
            << st.instance_name << " at change " << r->position.change_no << " of " << r->catalog_max_change_no
            << " (generation " << r->position.generation << ", pass " << r->position.pass_no << ")";
  if (st.rows_behind && *st.rows_behind > 0) std::cout << ", " << *st.rows_behind << " rows still behind";
  std::cout << "\n";
  return 0;
}

int CmdStatus(const SyncSettings& s, bool as_json) {
  using nlohmann::json;
  json out = json::object();
  const std::string catalog_path = storage::CatalogPath(s.storage_root);
  out["storage"] = s.storage_root;
  out["database"] = pg::DescribeDsn(s.dsn);
  int rc = 0;
  std::optional<CatalogReader::Head> head;
  std::unique_ptr<CatalogReader> reader;
  auto opened = CatalogReader::Open(catalog_path);
  if (opened.ok()) {
    reader = std::move(opened).value();
    auto h = reader->ReadHead();
    if (h.ok()) head = *h;
  }
  out["instance_name"] = head ? json(head->instance_name) : json(nullptr);
  out["catalog"] = head ? json{{"generation", head->generation}, {"max_change_no", head->max_change_no}}
                        : json(nullptr);
  json central = nullptr, behind = nullptr, seconds = nullptr;
  std::string live_state = head ? "unknown" : "waiting";
  std::string live_error;
  if (head && head->instance) {
    PgCentralStore store(s.dsn);
    auto pos = store.LoadPosition(head->instance_name);
    if (pos.ok()) {
      central = {{"generation", pos->generation}, {"position", pos->change_no}, {"pass_no", pos->pass_no},
                 {"resend_pending", pos->resend_pending}};
      const std::int64_t after = pos->generation == head->generation ? pos->change_no : 0;
      auto n = reader->CountPending(after);
      if (n.ok()) {
        behind = *n;
        double secs = 0;
        if (*n > 0) {
          auto oldest = reader->OldestPendingChange(after);
          if (oldest.ok() && *oldest) secs = static_cast<double>(SystemClock::Instance().Now() - **oldest) / 1e6;
        }
        seconds = secs;
        live_state = *n == 0 ? "caught_up" : "behind";
      }
    } else {
      live_state = pos.status().code() == StatusCode::kUnavailable ? "unreachable" : "error";
      live_error = pg::MaskSecrets(pos.status().message());
      rc = 1;
    }
  }
  out["central"] = central;
  out["rows_behind"] = behind;
  out["seconds_behind"] = seconds;
  out["state"] = live_state;
  out["error"] = live_error.empty() ? json(nullptr) : json(live_error);
  auto file = ReadSyncState(PosixFileSystem::Instance(), storage::SyncStatePath(s.storage_root));
  if (file.ok()) {
    out["agent"] = json::parse(SyncStateToJson(*file));
  } else {
    out["agent"] = nullptr;
  }
  if (as_json) {
    std::cout << SafeDump(out, 2) << "\n";
    return rc;
  }
  auto text = [](const json& j) { return j.is_null() ? std::string("-") : j.is_string() ? j.get<std::string>() : SafeDump(j); };
  std::cout << "instance        " << text(out["instance_name"]) << "\n"
            << "storage         " << s.storage_root << "\n"
            << "database        " << text(out["database"]) << "\n";
  if (head) std::cout << "catalog         generation " << head->generation << ", change " << head->max_change_no << "\n";
  if (!central.is_null()) {
    std::cout << "central         generation " << text(central["generation"]) << ", change "
              << text(central["position"]) << " (pass " << text(central["pass_no"])
              << (central["resend_pending"].get<bool>() ? ", full re-send in progress" : "") << ")\n";
  }
  std::cout << "behind          " << text(behind) << " rows, " << text(seconds) << " s\n"
            << "state           " << live_state << (live_error.empty() ? "" : ": " + live_error) << "\n";
  if (file.ok()) {
    std::cout << "agent           " << file->state << " (written "
              << FormatIsoTimestamp(file->updated_at) << ")\n"
              << "last success    " << (file->last_success ? FormatIsoTimestamp(*file->last_success) : "-") << "\n"
              << "last error      " << file->last_error.value_or("-") << "\n";
  } else {
    std::cout << "agent           no sync-state.json yet\n";
  }
  return rc;
}

int CmdInitSchema(const SyncSettings& s, const Options& o, const EnvMap& file) {
  RolePasswords pw;
  pw.sync_password = Secret(o.sync_password, "IB_SYNC_PASSWORD", file);
  pw.reporter_password = Secret(o.reporter_password, "IB_REPORTER_PASSWORD", file);
  auto r = InstallSchema(s.dsn, pw);
  if (!r.ok()) return Fail(r.status());
  for (const auto& n : r->notes) std::cout << n << "\n";
  if (r->applied.empty()) {
    std::cout << "central schema already at version " << r->to_version << "\n";
  } else {
    std::cout << "central schema upgraded from version " << r->from_version << " to " << r->to_version << " (";
    for (std::size_t i = 0; i < r->applied.size(); ++i) std::cout << (i ? ", " : "") << r->applied[i];
    std::cout << ")\n";
  }
  return 0;
}

// IB_SYNC_DSN as libpq parses it; the message never quotes the DSN (it may hold a password).
Status CheckDsnText(const std::string& dsn) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(dsn.c_str(), &err);
  if (opts) {
    PQconninfoFree(opts);
    return Status::Ok();
  }
  std::string why = err ? pg::MaskSecrets(err) : "libpq cannot parse it";
  if (err) PQfreemem(err);
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  return Status::InvalidArgument("IB_SYNC_DSN is not valid (value not shown): " + config::Printable(why) +
                                 "; expected a libpq connection string (host=... dbname=...) or a postgresql:// URI");
}

int CmdConfigCheck(const Options& o) {
  config::ConfigCheckOptions co;
  co.program = config::kSync;
  co.check_dsn = CheckDsnText;
  auto problems = config::CheckEnvFile(PosixFileSystem::Instance(), o.env_file, co);
  if (!problems.ok()) {
    Log("config check: cannot read " + config::Printable(o.env_file) + ": " + problems.status().message());
    return 2;
  }
  if (o.json) {
    std::cout << config::ProblemsJson(o.env_file, *problems) << "\n";
  } else {
    for (const auto& p : *problems) std::cout << pg::MaskSecrets(config::Printable(p.message)) << "\n";
    if (problems->empty()) std::cout << config::Printable(o.env_file) << ": ok\n";
  }
  return problems->empty() ? 0 : 1;
}

int CmdConfigShow(const Options& o, CLI::App* sub) {
  EnvMap file;
  if (!o.env_file.empty()) {
    auto f = ReadEnvFile(PosixFileSystem::Instance(), o.env_file);
    if (!f.ok()) return Fail(Status::InvalidArgument(f.status().message()));
    file = std::move(f).value();
  }
  EnvMap flags;
  if (sub->count("--storage")) flags["IB_STREAM_STORAGE_PATH"] = o.storage;
  if (sub->count("--dsn")) flags["IB_SYNC_DSN"] = o.dsn;
  if (sub->count("--batch-rows")) flags["IB_SYNC_BATCH_ROWS"] = o.batch_rows;
  EnvMap process;
  for (const auto& s : config::Settings()) {
    if (auto v = ProcessEnv(s.name)) process[s.name] = *v;
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : config::ResolveEffective(config::kSync, flags, process, file, "")) {
    if (o.json) {
      list.push_back({{"name", e.setting->name}, {"value", e.value}, {"source", config::SettingSourceName(e.source)},
                      {"secret", e.setting->secret()}});
    } else {
      std::cout << e.setting->name << "=" << e.value << "  (" << config::SettingSourceName(e.source) << ")\n";
    }
  }
  if (o.json) std::cout << SafeDump(nlohmann::json{{"settings", list}}) << "\n";
  return 0;
}

void AddCommon(CLI::App* sub, Options& o) {
  sub->add_option("--env-file", o.env_file, "KEY=VALUE file (e.g. /etc/ib-recorder/production.env)");
  sub->add_option("--storage", o.storage, "storage root (default: IB_STREAM_STORAGE_PATH, else /var/lib/ib-recorder/{environment})");
  sub->add_option("--dsn", o.dsn, "libpq connection string (default: IB_SYNC_DSN, else the PG* variables)");
  sub->add_option("--interval", o.interval, "poll interval: 500ms, 1s, 2m (default: IB_SYNC_INTERVAL_MS, else 1s)");
  sub->add_option("--batch-rows", o.batch_rows, "catalog changes per transaction (default 5000)");
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app{"ib-sync: replicates the recorder's catalog (sessions, files, migrations) into the central PostgreSQL"};
  app.require_subcommand(1);
  app.set_version_flag("--version", IBR_VERSION);
  Options o;
  CLI::App* run = app.add_subcommand("run", "daemon: sync every --interval until SIGTERM/SIGINT");
  CLI::App* once = app.add_subcommand("once", "sync everything pending, then exit (1 when PostgreSQL is unreachable)");
  CLI::App* resync = app.add_subcommand("resync", "re-send this instance's whole catalog (no duplicates)");
  CLI::App* status = app.add_subcommand("status", "position, rows and seconds behind, last error");
  CLI::App* init = app.add_subcommand("init-schema", "create or upgrade the central schema and roles (database owner)");
  CLI::App* config = app.add_subcommand("config", "check an env file, show effective settings");
  config->require_subcommand(1);
  CLI::App* config_check =
      config->add_subcommand("check", "validate an env file's ib-sync settings (exit 0 fine, 1 problems, 2 unreadable)");
  config_check->add_option("--env-file", o.env_file, "KEY=VALUE file to check")->required();
  config_check->add_flag("--json", o.json, "print {\"file\",\"ok\",\"problems\":[{variable,value,message}]}");
  CLI::App* config_show = config->add_subcommand("show", "every ib-sync setting's effective value and its source (secrets masked)");
  for (CLI::App* sub : {run, once, resync, status, init, config_show}) AddCommon(sub, o);
  config_show->add_flag("--json", o.json, "print {\"settings\":[{name,value,source,secret}]}");
  status->add_flag("--json", o.json, "print one JSON object");
  init->add_option("--sync-password", o.sync_password,
                   "give ib_sync LOGIN with this password (or IB_SYNC_PASSWORD); else NOLOGIN");
  init->add_option("--reporter-password", o.reporter_password,
                   "give ib_reporter LOGIN with this password (or IB_REPORTER_PASSWORD); else NOLOGIN");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  CLI::App* sub = app.get_subcommands().front();
  if (sub == config) return config_check->parsed() ? CmdConfigCheck(o) : CmdConfigShow(o, config_show);
  auto resolved = Resolve(o, sub);
  if (!resolved.ok()) return Fail(resolved.status());
  const SyncSettings& s = resolved->settings;
  if (sub == run) return CmdRun(s, o.env_file);
  if (sub == once) return CmdOnce(s, false);
  if (sub == resync) return CmdOnce(s, true);
  if (sub == status) return CmdStatus(s, o.json);
  return CmdInitSchema(s, o, resolved->env_file);
}

}  // namespace ibr::sync
