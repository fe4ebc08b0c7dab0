// LegacyTree: the files of a Python ib-stream storage tree and the layout of
// each: *.jsonl is JSON, *.pb protobuf; a "v3" directory anywhere on the path
// (the nearest of "v2"/"v3" wins) makes it v3, anything else is v2 (the oldest
// trees have {storage}/json and {storage}/protobuf with no version folder);
// this is only a hint (LayoutSniffer decides from the bytes). Other files are
// listed as ignored (never silently dropped). Files come in import order: all
// JSON files before all protobuf files (each group v2 before v3, then by
// path), so of JSON/protobuf twins the JSON copy is the one kept (ib-stream's
// protobuf writer dropped unix_time and `midpoint`). Any thread, with its FileSystem.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/file_system.h"
#include "common/status.h"

namespace ibr::legacy {

enum class LegacyLayout { kV2Json = 0, kV2Protobuf = 1, kV3Json = 2, kV3Protobuf = 3 };
constexpr int kLegacyLayoutCount = 4;

// "v2_json", "v2_protobuf", "v3_json", "v3_protobuf".
std::string_view LegacyLayoutName(LegacyLayout layout);

struct LegacyFile {
  std::string path;  // as opened
  std::string rel;   // relative to the tree's root (reports, quarantine)
  LegacyLayout layout = LegacyLayout::kV2Json;
};

struct LegacyTree {
  std::vector<LegacyFile> files;     // import order
  std::vector<std::string> ignored;  // relative paths of files that are neither .jsonl nor .pb
};

// Walks `root` (a directory). Errors: the root or a directory under it cannot be listed.
Result<LegacyTree> ListLegacyTree(FileSystem& fs, const std::string& root);

}  // namespace ibr::legacy
