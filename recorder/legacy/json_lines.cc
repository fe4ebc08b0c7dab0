// JsonLines: newline splitting; the torn-tail test parses only the last line.
#include "legacy/json_lines.h"

#include <nlohmann/json.hpp>

namespace ibr::legacy {

void SplitJsonLines(std::string_view content, const std::function<void(std::uint64_t, std::string_view)>& on_line,
                    const RecordFn& on_torn) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  std::uint64_t number = 0;
  std::size_t pos = 0;
  while (pos < content.size()) {
    ++number;
    const std::size_t nl = content.find('\n', pos);
    const bool terminated = nl != std::string_view::npos;
    std::string_view line = content.substr(pos, terminated ? nl - pos : std::string_view::npos);
    pos = terminated ? nl + 1 : content.size();
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (!terminated && !nlohmann::json::accept(line)) {
      LegacyRecord torn;
      torn.index = number;
      torn.skipped = true;
      torn.reason = "torn_record";
      torn.detail = "last line (" + std::to_string(line.size()) + " bytes) has no newline and is not whole JSON";
      torn.input = line;
      on_torn(torn);
      continue;
    }
    on_line(number, line);
  }
}

}  // namespace ibr::legacy
