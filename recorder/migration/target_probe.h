// TargetProbe: what `migrate prepare` checks of the target it can reach — its
// /health (reachable, status, the storage format and catalog schema versions
// it reports, compared with this binary's) and its env file (the same checks
// as `config check`). Results are JSON objects for validation_results.
// Blocking network / file reads; any thread.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/file_system.h"

namespace ibr::migration {

struct ProbeResult {
  bool ok = false;
  nlohmann::ordered_json details;  // stored under validation_results.checks[]
};

// Judges a /health answer (HTTP code, body): ok when 200 with status ok or
// degraded and storage versions this binary can read. Pure; tested directly.
ProbeResult JudgeHealthAnswer(const std::string& url, int http_status, const std::string& body);
// GET {url}/health (connect/read timeout 5 s each), then JudgeHealthAnswer.
ProbeResult ProbeTargetUrl(const std::string& url);
// config check of the target's env file.
ProbeResult ProbeTargetEnvFile(FileSystem& fs, const std::string& path);

}  // namespace ibr::migration
