// Env files (/etc/ib-recorder/<environment>.env): KEY=VALUE lines, '#'
// comments, blank lines, an optional `export ` prefix, values optionally in
// "double" (\" \\ \n \t escapes) or 'single' quotes (literal). An unquoted
// value ends at " #" (a comment). Pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/file_system.h"
#include "common/status.h"

namespace ibr::sync {

using EnvMap = std::map<std::string, std::string>;

// Errors name `source` and the line: "F:3: expected KEY=VALUE".
Result<EnvMap> ParseEnvFile(std::string_view text, const std::string& source);
Result<EnvMap> ReadEnvFile(FileSystem& fs, const std::string& path);

}  // namespace ibr::sync
