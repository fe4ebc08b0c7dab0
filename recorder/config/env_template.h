// Env file templates (packaging/config/*.env, shipped as /etc/ib-recorder/<env>.env):
// generated from the settings registry, every line commented with the
// variable's documentation and default. One file per environment serves both
// ib-recorder and ib-sync. Pure functions, any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/environments.h"

namespace ibr::config {

// kStandard: <env>.env; kRecording / kApiOnly: seed 003's development-recording.env
// and development-api-only.env (any environment).
enum class TemplateVariant { kStandard, kRecording, kApiOnly };
std::optional<TemplateVariant> ParseTemplateVariant(std::string_view text);  // "", "standard", "recording", "api-only"

std::string EnvFileTemplate(const Environment& env, TemplateVariant variant);
// "production.env", "development-recording.env", ...
std::string TemplateFileName(const Environment& env, TemplateVariant variant);

}  // namespace ibr::config
