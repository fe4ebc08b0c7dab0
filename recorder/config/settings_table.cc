// README variable table from the registry.
#include "config/settings_table.h"

#include "config/setting_check.h"
#include "config/settings_registry.h"

namespace ibr::config {
namespace {

std::string Cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else out += c;
  }
  return out;
}

std::string DefaultCell(const Setting& s) {
  if (s.secret()) return "none (secret)";
  std::string d = s.default_text;
  if (d.empty()) return "empty";
  if (d == "{upstream_port}") return "base + 1: 8001 / 8101 / 8201";
  if (d == "{recorder_port}") return "base + 2: 8002 / 8102 / 8202";
  if (d == "{client_id}") return "2 / 12 / 22";
  return "`" + d + "`";
}

}  // namespace

std::string SettingsMarkdownTable() {
  std::string out = "| variable | read by | default (production / development / staging) | valid values | what |\n";
  out += "|---|---|---|---|---|\n";
  for (const auto& s : Settings()) {
    std::string who = s.reads(kRecorder) && s.reads(kSync) ? "both" : s.reads(kSync) ? "ib-sync" : "ib-recorder";
    std::string flag = *s.flag ? " (flag `" + std::string(s.flag) + "`)" : "";
    out += "| `" + std::string(s.name) + "` | " + who + " | " + Cell(DefaultCell(s)) + " | " + Cell(ExpectedText(s)) +
           " | " + Cell(std::string(s.doc) + flag) + " |\n";
  }
  return out;
}

}  // namespace ibr::config
