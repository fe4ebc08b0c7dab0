// Effective settings: layered lookup over the registry, secrets masked.
#include "config/effective_settings.h"

#include <charconv>

#include "config/config_text.h"
#include "config/environments.h"
#include "config/settings_registry.h"

namespace ibr::config {

const char* SettingSourceName(SettingSource s) {
  switch (s) {
    case SettingSource::kCommandLine: return "command line";
    case SettingSource::kEnvironment: return "environment";
    case SettingSource::kFile: return "file";
    case SettingSource::kDefault: return "default";
  }
  return "default";
}

const std::string* LayerValue(const Setting& s, const EnvMap& layer) {
  auto it = layer.find(s.name);
  if (it == layer.end() || (it->second.empty() && !s.empty_is_value)) return nullptr;
  return &it->second;
}

std::vector<EffectiveSetting> ResolveEffective(Program program, const EnvMap& flags, const EnvMap& process,
                                               const EnvMap& file, const std::string& hostname) {
  auto pick = [&](const Setting& s, SettingSource* from) -> const std::string* {
    const EnvMap* layers[] = {&flags, &process, &file};
    const SettingSource sources[] = {SettingSource::kCommandLine, SettingSource::kEnvironment, SettingSource::kFile};
    for (int i = 0; i < 3; ++i) {
      if (const std::string* v = LayerValue(s, *layers[i])) {
        *from = sources[i];
        return v;
      }
    }
    return nullptr;
  };
  SettingSource ignored{};
  const Environment* env = &Environments().front();
  if (const std::string* v = pick(SettingNamed("IB_STREAM_ENVIRONMENT"), &ignored)) {
    if (const Environment* e = FindEnvironment(*v)) env = e;
  }
  int port = env->upstream_port();
  if (const std::string* v = pick(SettingNamed("PORT"), &ignored)) {
    int n = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec == std::errc() && p == v->data() + v->size()) port = n;
  }
  std::vector<EffectiveSetting> out;
  for (const auto& s : Settings()) {
    if (!s.reads(program)) continue;
    EffectiveSetting e;
    e.setting = &s;
    if (const std::string* v = pick(s, &e.source)) {
      e.value = s.secret() ? "(set, not shown)" : Printable(*v);
    } else {
      e.source = SettingSource::kDefault;
      e.value = s.secret() ? "(not set)" : DefaultValue(s, *env, port, hostname);
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace ibr::config
