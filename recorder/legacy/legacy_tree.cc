// LegacyTree: recursive ListDir, classification by suffix and version folder.
#include "legacy/legacy_tree.h"

#include <algorithm>
#include <optional>
#include <functional>
#include <tuple>

namespace ibr::legacy {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The nearest "v2"/"v3" path component decides; none means v2.
bool IsV3Path(std::string_view full) {
  std::optional<bool> v3;
  std::size_t pos = 0;
  while (pos <= full.size()) {
    std::size_t slash = full.find('/', pos);
    if (slash == std::string_view::npos) slash = full.size();
    const std::string_view part = full.substr(pos, slash - pos);
    if (part == "v3") v3 = true;
    if (part == "v2") v3 = false;
    pos = slash + 1;
  }
  return v3.value_or(false);
}

Status Walk(FileSystem& fs, const std::string& root, const std::string& rel, LegacyTree& tree, int depth) {
  if (depth > 32) return Status::InvalidArgument("directory tree under " + root + " is deeper than 32 levels");
  const std::string dir = rel.empty() ? root : root + "/" + rel;
  auto entries = fs.ListDir(dir);
  if (!entries.ok()) return entries.status();
  for (const DirEntry& e : *entries) {
    const std::string child = rel.empty() ? e.name : rel + "/" + e.name;
    if (e.is_dir) {
      IBR_RETURN_IF_ERROR(Walk(fs, root, child, tree, depth + 1));
      continue;
    }
    const bool json = EndsWith(e.name, ".jsonl");
    const bool pb = EndsWith(e.name, ".pb");
    if (!json && !pb) {
      tree.ignored.push_back(child);
      continue;
    }
    LegacyFile f;
    f.path = root + "/" + child;
    f.rel = child;
    const bool v3 = IsV3Path(f.path);
    f.layout = v3 ? (json ? LegacyLayout::kV3Json : LegacyLayout::kV3Protobuf)
                  : (json ? LegacyLayout::kV2Json : LegacyLayout::kV2Protobuf);
    tree.files.push_back(std::move(f));
  }
  return Status::Ok();
}

}  // namespace

std::string_view LegacyLayoutName(LegacyLayout layout) {
  switch (layout) {
    case LegacyLayout::kV2Json: return "v2_json";
    case LegacyLayout::kV2Protobuf: return "v2_protobuf";
    case LegacyLayout::kV3Json: return "v3_json";
    case LegacyLayout::kV3Protobuf: return "v3_protobuf";
  }
  return "v2_json";
}

Result<LegacyTree> ListLegacyTree(FileSystem& fs, const std::string& root) {
  LegacyTree tree;
  std::string r = root;
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  IBR_RETURN_IF_ERROR(Walk(fs, r, "", tree, 0));
  std::sort(tree.files.begin(), tree.files.end(), [](const LegacyFile& a, const LegacyFile& b) {
    auto key = [](const LegacyFile& f) {
      const bool pb = f.layout == LegacyLayout::kV2Protobuf || f.layout == LegacyLayout::kV3Protobuf;
      return std::make_tuple(pb, static_cast<int>(f.layout), std::cref(f.rel));
    };
    return key(a) < key(b);
  });
  std::sort(tree.ignored.begin(), tree.ignored.end());
  return tree;
}

}  // namespace ibr::legacy
