// TargetProbe: httplib GET /health and config::CheckEnvFile.
#include "migration/target_probe.h"

#include <httplib.h>

#include "catalog/catalog.h"
#include "config/config_check.h"
#include "format/file_header.h"

namespace ibr::migration {
namespace {

using nlohmann::ordered_json;

// A stored version the target reports against what this binary reads.
void CompareVersion(ProbeResult& r, const nlohmann::json& storage, const char* key, int ours, ordered_json& problems) {
  if (!storage.is_object() || !storage.contains(key) || !storage[key].is_number_integer()) {
    r.details[key] = nullptr;
    return;
  }
  const int theirs = storage[key].get<int>();
  r.details[key] = theirs;
  if (theirs > ours) {
    problems.push_back(std::string(key) + " " + std::to_string(theirs) + " is newer than this ib-recorder reads (" +
                       std::to_string(ours) + "): a rollback to the source could not read what the target writes");
  }
}

}  // namespace

ProbeResult JudgeHealthAnswer(const std::string& url, int http_status, const std::string& body) {
  ProbeResult r;
  r.details = ordered_json{{"check", "target_url"}, {"url", url}, {"http_status", http_status}};
  ordered_json problems = ordered_json::array();
  const nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    problems.push_back("GET " + url + "/health did not answer a JSON object (is it an ib-recorder?)");
  } else {
    const std::string status = j.value("status", std::string());
    r.details["status"] = status;
    if (j.contains("instance") && j["instance"].is_string()) r.details["instance"] = j["instance"];
    if (http_status != 200 || (status != "ok" && status != "degraded")) {
      problems.push_back("GET " + url + "/health answered " + std::to_string(http_status) + " status '" + status +
                         "': the target cannot store yet");
    }
    const nlohmann::json storage = j.contains("storage") ? j["storage"] : nlohmann::json();
    CompareVersion(r, storage, "file_format_version", static_cast<int>(format::kFormatVersion), problems);
    CompareVersion(r, storage, "catalog_schema_version", catalog::kSchemaVersion, problems);
    if (r.details["file_format_version"].is_null()) {
      r.details["note"] = "the target's /health reports no storage format version (an older ib-recorder?)";
    }
  }
  r.ok = problems.empty();
  r.details["ok"] = r.ok;
  r.details["problems"] = std::move(problems);
  return r;
}

ProbeResult ProbeTargetUrl(const std::string& url_in) {
  std::string url = url_in;
  while (!url.empty() && url.back() == '/') url.pop_back();
  const bool http = url.rfind("http://", 0) == 0, https = url.rfind("https://", 0) == 0;
  ProbeResult r;
  if (!http && !https) {
    r.details = ordered_json{{"check", "target_url"}, {"url", url_in}, {"ok", false},
                             {"problems", ordered_json::array({"--target-url '" + url_in + "': expected http://HOST:PORT"})}};
    return r;
  }
  const std::size_t path_at = url.find('/', url.find("://") + 3);
  const std::string origin = url.substr(0, path_at);
  const std::string base = path_at == std::string::npos ? "" : url.substr(path_at);
  try {
    httplib::Client client(origin);
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(5, 0);
    auto res = client.Get(base + "/health");
    if (!res) {
      r.details = ordered_json{{"check", "target_url"}, {"url", url}, {"ok", false},
                               {"problems", ordered_json::array({"GET " + url + "/health failed: " + httplib::to_string(res.error()) +
                                                                 " (is the target running and listening there?)"})}};
      return r;
    }
    return JudgeHealthAnswer(url, res->status, res->body);
  } catch (const std::exception& e) {
    r.details = ordered_json{{"check", "target_url"}, {"url", url}, {"ok", false},
                             {"problems", ordered_json::array({std::string("GET ") + url + "/health failed: " + e.what()})}};
    return r;
  }
}

ProbeResult ProbeTargetEnvFile(FileSystem& fs, const std::string& path) {
  ProbeResult r;
  r.details = ordered_json{{"check", "target_env_file"}, {"file", path}};
  auto problems = config::CheckEnvFile(fs, path, config::ConfigCheckOptions{});
  ordered_json list = ordered_json::array();
  if (!problems.ok()) {
    list.push_back("--target-env-file " + path + ": " + problems.status().message());
  } else {
    for (const auto& p : *problems) list.push_back(p.message);
  }
  r.ok = list.empty();
  r.details["ok"] = r.ok;
  r.details["problems"] = std::move(list);
  return r;
}

}  // namespace ibr::migration
