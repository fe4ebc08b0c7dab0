// StorageLink: temp symlink + rename + directory sync.
#include "migration/storage_link.h"

#include <unistd.h>

#include <filesystem>

namespace ibr::migration {

std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(path, ec);
  if (ec) return path;
  std::string out = p.lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

Result<LinkSwap> SwapStorageLink(FileSystem& fs, const std::string& link, const std::string& to) {
  if (link.empty()) return Status::InvalidArgument("--link: give the symlink to swap, e.g. storage-active");
  if (to.empty()) return Status::InvalidArgument("--to: give the storage root the link should point at");
  LinkSwap out;
  out.link = link;
  out.now = AbsolutePath(to);
  auto dir = fs.ListDir(out.now);
  if (!dir.ok()) {
    return Status::InvalidArgument("--to " + to + ": not a readable directory (" + dir.status().message() +
                                   "); the link was not changed");
  }
  if (fs.Exists(link) || fs.ReadSymlink(link).ok()) {
    auto prev = fs.ReadSymlink(link);
    if (!prev.ok()) {
      return Status::InvalidArgument("--link " + link + ": " + prev.status().message() +
                                     "; it was not replaced (move it away, then point the link at it)");
    }
    // A relative link text (ln -s production storage-active) is relative to the link's directory.
    out.previous = prev->empty() || prev->front() == '/' ? *prev : AbsolutePath(DirName(AbsolutePath(link)) + "/" + *prev);
  }
  const std::string tmp = link + ".ib-recorder-tmp-" + std::to_string(::getpid());
  IBR_RETURN_IF_ERROR(fs.Remove(tmp));
  IBR_RETURN_IF_ERROR(fs.CreateSymlink(out.now, tmp));
  Status s = fs.Rename(tmp, link);
  if (!s.ok()) {
    fs.Remove(tmp);
    return s.WithContext("the link " + link + " still points at " + (out.previous.empty() ? "nothing" : out.previous));
  }
  IBR_RETURN_IF_ERROR(fs.SyncDir(DirName(link)));
  return out;
}

}  // namespace ibr::migration
