// StorageLink: the seed-003 `storage-active` symlink, swapped atomically
// (a temporary symlink beside it, then rename(2) over it, then the directory
// synced), so a reader resolving the link sees the old or the new root, never
// nothing. Through FileSystem; any thread, one swap of a link at a time.
#pragma once

#include <string>

#include "common/file_system.h"
#include "common/status.h"

namespace ibr::migration {

struct LinkSwap {
  std::string link;
  std::string previous;  // where the link pointed before, absolute ("" when it did not exist)
  std::string now;       // the link's text after: the absolute path of the directory
};

// Points `link` at directory `to` (made absolute against the working
// directory). InvalidArgument when `to` is not a directory or `link` exists and
// is not a symlink (it is never replaced then); IoError when the OS refuses.
Result<LinkSwap> SwapStorageLink(FileSystem& fs, const std::string& link, const std::string& to);

// The absolute form of a path (against the working directory); no I/O.
std::string AbsolutePath(const std::string& path);

}  // namespace ibr::migration
