// `ib-recorder config ...`.
#include "cli/config_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "common/env_file.h"
#include "common/json_text.h"
#include "common/file_system.h"
#include "config/config_check.h"
#include "config/config_text.h"
#include "config/effective_settings.h"
#include "config/env_template.h"
#include "config/settings_table.h"
#include "daemon/recorder_config.h"

namespace ibr::cli {
namespace {

struct ConfigOptions {
  std::string env_file;
  bool json = false;
  std::string environment, variant;
  bool markdown = false;
  daemon::RecorderFlags flags;  // show: the run flags, to show what they override
  int port = 0;
  std::string instance_name;
};

std::string ThisHost() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

int RunCheck(const ConfigOptions& o) {
  config::ConfigCheckOptions co;
  co.program = config::kRecorder;
  auto problems = config::CheckEnvFile(PosixFileSystem::Instance(), o.env_file, co);
  if (!problems.ok()) {
    std::cerr << "ib-recorder config check: cannot read " << config::Printable(o.env_file) << ": "
              << config::Printable(problems.status().message()) << "\n";
    return kExitUsage;
  }
  if (o.json) {
    std::cout << config::ProblemsJson(o.env_file, *problems) << "\n";
  } else {
    for (const auto& p : *problems) std::cout << config::Printable(p.message) << "\n";
    if (problems->empty()) std::cout << config::Printable(o.env_file) << ": ok\n";
  }
  return problems->empty() ? kExitOk : kExitFailed;
}

// Prints every setting of `program`: name, value, source. Shared shape with ib-sync's `config show`.
int PrintEffective(const std::vector<config::EffectiveSetting>& settings, bool json) {
  if (json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : settings) {
      list.push_back({{"name", e.setting->name},
                      {"value", e.value},
                      {"source", config::SettingSourceName(e.source)},
                      {"secret", e.setting->secret()}});
    }
    std::cout << SafeDump(nlohmann::json{{"settings", list}}) << "\n";
    return kExitOk;
  }
  for (const auto& e : settings) {
    std::cout << e.setting->name << "=" << e.value << "  (" << config::SettingSourceName(e.source) << ")\n";
  }
  return kExitOk;
}

int RunShow(const ConfigOptions& o, const CLI::App& cmd) {
  EnvMap file;
  if (!o.env_file.empty()) {
    auto f = ReadEnvFile(PosixFileSystem::Instance(), o.env_file);
    if (!f.ok()) {
      std::cerr << "ib-recorder config show: " << config::Printable(f.status().message()) << "\n";
      return kExitUsage;
    }
    file = std::move(f).value();
  }
  EnvMap flags;
  if (!o.flags.storage.empty()) flags["IB_STREAM_STORAGE_PATH"] = o.flags.storage;
  if (cmd.count("--port") > 0) flags["IB_STREAM_RECORDER_PORT"] = std::to_string(o.port);
  if (!o.flags.bind.empty()) flags["IB_STREAM_RECORDER_BIND"] = o.flags.bind;
  if (!o.flags.source.empty()) flags["IB_STREAM_SOURCE"] = o.flags.source;
  if (!o.flags.upstream.empty()) flags["IB_STREAM_UPSTREAM_URL"] = o.flags.upstream;
  if (o.flags.read_only) flags["IB_STREAM_ENABLE_STORAGE"] = "false";
  if (!o.instance_name.empty()) flags["IB_STREAM_INSTANCE_NAME"] = o.instance_name;
  return PrintEffective(
      config::ResolveEffective(config::kRecorder, flags, daemon::ProcessEnvironment(), file, ThisHost()), o.json);
}

int RunTemplate(const ConfigOptions& o) {
  const config::Environment* env = config::FindEnvironment(o.environment);
  auto variant = config::ParseTemplateVariant(o.variant);
  if (!env || !variant) {
    std::cerr << "ib-recorder config template: "
              << (!env ? "--environment='" + config::Printable(o.environment) +
                             "' is not valid: expected " + config::EnvironmentChoices()
                       : "--variant='" + config::Printable(o.variant) +
                             "' is not valid: expected standard, recording or api-only")
              << "\n";
    return kExitUsage;
  }
  std::cout << config::EnvFileTemplate(*env, *variant);
  return kExitOk;
}

}  // namespace

void AddConfigCommands(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<ConfigOptions>();
  auto* config = app.add_subcommand("config", "Settings: check an env file, show effective values, print templates");
  config->require_subcommand(1);

  auto* check = config->add_subcommand(
      "check", "Validate an env file without starting anything (exit 0 fine, 1 problems, 2 unreadable)");
  check->add_option("--env-file", o->env_file, "KEY=VALUE file to check")->required();
  check->add_flag("--json", o->json, "Print {\"file\",\"ok\",\"problems\":[{variable,value,message}]}");
  check->callback([o, exit_code] { *exit_code = RunCheck(*o); });

  auto* show = config->add_subcommand("show", "Print every setting's effective value and where it came from (secrets masked)");
  show->add_option("--env-file", o->env_file, "KEY=VALUE file (as `run --env-file`)");
  show->add_flag("--json", o->json, "Print {\"settings\":[{name,value,source,secret}]}");
  show->add_option("--storage", o->flags.storage, "As `run --storage`");
  show->add_option("--port", o->port, "As `run --port`");
  show->add_option("--bind", o->flags.bind, "As `run --bind`");
  show->add_option("--source", o->flags.source, "As `run --source`");
  show->add_option("--upstream", o->flags.upstream, "As `run --upstream`");
  show->add_option("--instance-name", o->instance_name, "As `ingest --instance-name`");
  show->add_flag("--read-only", o->flags.read_only, "As `run --read-only`");
  show->callback([o, exit_code, show] { *exit_code = RunShow(*o, *show); });

  auto* tmpl = config->add_subcommand("template", "Print the env file shipped for an environment (packaging/config/)");
  tmpl->add_option("--environment", o->environment, "production, development or staging")->required();
  tmpl->add_option("--variant", o->variant, "standard (default), recording or api-only (seed 003's templates)");
  tmpl->callback([o, exit_code] { *exit_code = RunTemplate(*o); });

  auto* table = config->add_subcommand("table", "Print the table of every setting (README.md's)");
  table->add_flag("--markdown", o->markdown, "GitHub markdown (the only format)");
  table->callback([exit_code] {
    std::cout << config::SettingsMarkdownTable();
    *exit_code = kExitOk;
  });
}

}  // namespace ibr::cli
