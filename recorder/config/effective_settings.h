// Effective settings: the value of every registered setting a program reads
// and where it came from (command line > process environment > env file >
// default), for `config show`. Secrets are masked here, never later. Pure, any thread.
#pragma once

#include <string>
#include <vector>

#include "common/env_file.h"
#include "config/setting.h"

namespace ibr::config {

enum class SettingSource { kCommandLine, kEnvironment, kFile, kDefault };
const char* SettingSourceName(SettingSource s);  // "command line", "environment", "file", "default"

struct EffectiveSetting {
  const Setting* setting = nullptr;
  std::string value;   // shown value: secrets "(set, not shown)" or "(not set)"
  SettingSource source = SettingSource::kDefault;
};

// `flags`: setting name -> value for what the command line gave.
std::vector<EffectiveSetting> ResolveEffective(Program program, const EnvMap& flags, const EnvMap& process,
                                               const EnvMap& file, const std::string& hostname);

// The raw value a layer gives `s` (empty counts as unset unless s.empty_is_value), or nullptr.
const std::string* LayerValue(const Setting& s, const EnvMap& layer);

}  // namespace ibr::config
