// Env file templates from the registry.
#include "config/env_template.h"

#include <map>

#include "config/setting_check.h"
#include "config/settings_registry.h"

namespace ibr::config {
namespace {

const char kTrackedExample[] = "711280073:MNQ:bid_ask;last:1";  // seed 003's MNQ front month

// The values a template sets (uncommented); every other setting is shown commented at its default.
std::map<std::string, std::string> TemplateValues(const Environment& env, TemplateVariant v) {
  const bool records = v == TemplateVariant::kRecording ||
                       (v == TemplateVariant::kStandard && std::string_view(env.name) != "development");
  return {
      {"IB_STREAM_ENVIRONMENT", env.name},
      {"IB_STREAM_STORAGE_PATH", env.storage_root()},
      {"IB_STREAM_ENABLE_STORAGE", v == TemplateVariant::kApiOnly ? "false" : "true"},
      {"IB_STREAM_TRACKED_CONTRACTS", records ? kTrackedExample : ""},
      {"PORT", std::to_string(env.upstream_port())},
      {"IB_STREAM_CLIENT_ID", std::to_string(env.client_id)},
      {"IB_STREAM_RECORDER_PORT", std::to_string(env.recorder_port())},
  };
}

std::string ShownDefault(const Setting& s, const Environment& env) {
  if (s.secret()) return "none";
  std::string d = DefaultValue(s, env, env.upstream_port(), "<hostname>");
  return d.empty() ? "empty" : d;
}

}  // namespace

std::optional<TemplateVariant> ParseTemplateVariant(std::string_view text) {
  if (text.empty() || text == "standard") return TemplateVariant::kStandard;
  if (text == "recording") return TemplateVariant::kRecording;
  if (text == "api-only") return TemplateVariant::kApiOnly;
  return std::nullopt;
}

std::string TemplateFileName(const Environment& env, TemplateVariant variant) {
  std::string n = env.name;
  if (variant == TemplateVariant::kRecording) n += "-recording";
  if (variant == TemplateVariant::kApiOnly) n += "-api-only";
  return n + ".env";
}

std::string EnvFileTemplate(const Environment& env, TemplateVariant variant) {
  const auto values = TemplateValues(env, variant);
  std::string variant_flag = variant == TemplateVariant::kRecording ? " --variant recording"
                             : variant == TemplateVariant::kApiOnly ? " --variant api-only"
                                                                    : "";
  std::string out;
  out += "# " + TemplateFileName(env, variant) + ": ib-recorder and ib-sync settings for the " + env.name +
         " environment\n";
  if (variant == TemplateVariant::kStandard) {
    out += "# (installed as /etc/ib-recorder/" + std::string(env.name) + ".env; read by ib-recorder@" + env.name +
           " and ib-sync@" + env.name + ").\n";
  } else {
    out += "# (a template: copy it over /etc/ib-recorder/" + std::string(env.name) + ".env to use it).\n";
  }
  out += "# Generated from the settings registry by `ib-recorder config template --environment " +
         std::string(env.name) + variant_flag + "`.\n";
  out += "# Check it with `ib-recorder config check --env-file FILE` and `ib-sync config check --env-file FILE`.\n";
  out += "# Port block " + std::to_string(env.port_base) + "-" + std::to_string(env.port_block_end()) +
         "; TWS client ids " + std::to_string(env.client_id) + " (main) and " +
         std::to_string(env.background_client_id) + " (background).\n";
  out += "# Lines '#NAME=value' show the default: remove the '#' to change it.\n";
  if (variant == TemplateVariant::kApiOnly) {
    out += "# API only: serves the storage root read-only and records nothing.\n";
  }
  for (const auto& s : Settings()) {
    out += "\n# " + std::string(s.doc) + "\n";
    out += "# " + std::string(s.reads(kRecorder) && s.reads(kSync) ? "ib-recorder, ib-sync"
                                : s.reads(kSync)                    ? "ib-sync"
                                                                    : "ib-recorder") +
           "; " + ExpectedText(s) + "; default: " + ShownDefault(s, env) + "\n";
    auto it = values.find(s.name);
    if (it != values.end()) {
      out += std::string(s.name) + "=" + it->second + "\n";
    } else {
      std::string d = s.secret() ? "" : DefaultValue(s, env, env.upstream_port(), "");
      if (std::string(s.default_text).find("{hostname}") != std::string::npos) d = "";
      out += "#" + std::string(s.name) + "=" + d + "\n";
    }
  }
  return out;
}

}  // namespace ibr::config
