// TickFileWalk: the tick files under a storage root, by identity.
#include "storage/tick_file_walk.h"

#include "storage/layout.h"

namespace ibr::storage {
namespace {

Status WalkDir(FileSystem& fs, const std::string& root, const std::string& rel, TickFileTree& tree) {
  auto entries = fs.ListDir(JoinPath(root, rel));
  if (!entries.ok()) {
    if (entries.status().code() == StatusCode::kNotFound) return Status::Ok();
    return entries.status();
  }
  for (const auto& e : *entries) {
    std::string child = rel + "/" + e.name;
    if (e.is_dir) {
      IBR_RETURN_IF_ERROR(WalkDir(fs, root, child, tree));
      continue;
    }
    if (e.name.find(".tmp") != std::string::npos) {
      tree.temps.push_back(child);
      continue;
    }
    auto name = ParseTickFileRelPath(child);
    if (!name) {
      tree.strays.push_back(child);
      continue;
    }
    FoundFile& f = tree.files[{name->contract_id, name->tick_type, name->hour_bucket, name->part}];
    (name->sealed ? f.sealed_rel : f.open_rel) = child;
  }
  return Status::Ok();
}

}  // namespace

Result<TickFileTree> WalkTickFiles(FileSystem& fs, const std::string& root) {
  TickFileTree tree;
  IBR_RETURN_IF_ERROR(WalkDir(fs, root, "protobuf", tree));
  return tree;
}

}  // namespace ibr::storage
