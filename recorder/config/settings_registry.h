// The settings registry: every variable ib-recorder and ib-sync read,
// described once (setting.h). Start-up (run, ingest, ib-sync), `config
// check`, `config show`, the shipped env files and the README's table all
// come from it. Constant data, any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/environments.h"
#include "config/setting.h"

namespace ibr::config {

// In documentation order.
const std::vector<Setting>& Settings();
// nullptr when `name` is not a registered variable.
const Setting* FindSetting(std::string_view name);
// The setting named so (registered: else a placeholder named UNREGISTERED_SETTING).
const Setting& SettingNamed(std::string_view name);
// True for names a typo of ours would produce: IB_STREAM_* and IB_SYNC_*.
bool LooksLikeOurs(std::string_view name);
// The registered name nearest to `name` (edit distance <= 3), or "".
std::string NearestSetting(std::string_view name);

// The default for `env`, tokens expanded; `port` is the effective PORT (for
// IB_STREAM_UPSTREAM_URL), `hostname` this host's name.
std::string DefaultValue(const Setting& s, const Environment& env, int port, const std::string& hostname);

}  // namespace ibr::config
