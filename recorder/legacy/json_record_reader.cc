// JsonRecordReader: a v2 envelope line is passed through untouched (the
// common case: ib-stream's json.dumps puts "type" first); anything else is
// parsed once to tell a v3 record from junk.
#include "legacy/json_record_reader.h"

#include <nlohmann/json.hpp>
#include <string>

#include "legacy/json_lines.h"
#include "legacy/v3_record.h"

namespace ibr::legacy {
namespace {

bool IsV3Shaped(const nlohmann::json& j) { return j.is_object() && (j.contains("cid") || !j.contains("type")); }

}  // namespace

void ReadLegacyJsonFile(std::string_view content, const RecordFn& on_record) {
  SplitJsonLines(
      content,
      [&](std::uint64_t index, std::string_view text) {
        LegacyRecord r;
        r.index = index;
        r.input = text;
        if (text.substr(0, 7) != "{\"type\"") {
          const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
          if (IsV3Shaped(j)) r.line = V3ObjectToV2Line(j);
        }
        if (r.line.empty()) r.line.assign(text);
        on_record(r);
      },
      on_record);
}

bool FirstJsonRecordIsV3(std::string_view content) {
  bool v3 = false, decided = false;
  SplitJsonLines(
      content,
      [&](std::uint64_t, std::string_view text) {
        if (decided) return;
        const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_discarded()) return;
        v3 = IsV3Shaped(j);
        decided = true;
      },
      [](const LegacyRecord&) {});
  return v3;
}

}  // namespace ibr::legacy
