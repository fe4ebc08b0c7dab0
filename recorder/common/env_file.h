// Env files (seed 003's config/{environment}.env, /etc/ib-recorder/*.env):
// KEY=VALUE lines, '#' comments, blank lines, an optional `export ` prefix,
// values optionally in 'single' (literal) or "double" quotes (\" \\ \n \t
// escapes); an unquoted value ends at whitespace + '#'. Later lines win.
// Shared by `ib-recorder run` and ib-sync. Pure functions, any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/file_system.h"
#include "common/status.h"

namespace ibr {

using EnvMap = std::map<std::string, std::string>;

// Errors name `source` and the line ("F line 3: ..."). They never quote a
// value (it may be a secret), only the start of a malformed line's name.
Result<EnvMap> ParseEnvText(std::string_view text, const std::string& source);
Result<EnvMap> ReadEnvFile(FileSystem& fs, const std::string& path);

}  // namespace ibr
