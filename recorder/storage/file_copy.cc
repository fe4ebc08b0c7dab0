// FileCopy: files and trees copied crash-safely.
#include "storage/file_copy.h"

#include <algorithm>
#include <vector>

#include "storage/layout.h"

namespace ibr::storage {

Result<std::uint64_t> CopyFileBytes(FileSystem& fs, const std::string& from, const std::string& to,
                                    std::optional<std::uint64_t> max_bytes) {
  auto in = fs.OpenRead(from);
  if (!in.ok()) return in.status();
  std::uint64_t want = (*in)->Size();
  if (max_bytes) want = std::min(want, *max_bytes);
  IBR_RETURN_IF_ERROR(fs.CreateDirs(DirName(to)));
  auto out = fs.OpenTruncate(to);
  if (!out.ok()) return out.status();
  std::vector<char> buf(1 << 20);
  std::uint64_t done = 0;
  while (done < want) {
    std::size_t got = 0;
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), want - done));
    IBR_RETURN_IF_ERROR((*in)->ReadAt(done, n, buf.data(), &got));
    if (got == 0) break;  // shorter than it was: the caller compares what was copied
    IBR_RETURN_IF_ERROR((*out)->Append(std::string_view(buf.data(), got)));
    done += got;
  }
  IBR_RETURN_IF_ERROR((*out)->Sync());
  IBR_RETURN_IF_ERROR((*out)->Close());
  IBR_RETURN_IF_ERROR(fs.SyncDir(DirName(to)));
  return done;
}

namespace {

Status CopyTreeBelow(FileSystem& fs, const std::string& from, const std::string& to, const std::string& rel,
                     TreeCopy& copy) {
  auto entries = fs.ListDir(rel.empty() ? from : JoinPath(from, rel));
  if (!entries.ok()) return entries.status();
  for (const auto& e : *entries) {
    const std::string child = rel.empty() ? e.name : rel + "/" + e.name;
    if (e.is_dir) {
      IBR_RETURN_IF_ERROR(fs.CreateDirs(JoinPath(to, child)));
      IBR_RETURN_IF_ERROR(CopyTreeBelow(fs, from, to, child, copy));
      continue;
    }
    auto n = CopyFileBytes(fs, JoinPath(from, child), JoinPath(to, child));
    if (!n.ok()) return n.status();
    ++copy.files;
    copy.bytes += *n;
  }
  return Status::Ok();
}

}  // namespace

Result<TreeCopy> CopyTree(FileSystem& fs, const std::string& from, const std::string& to) {
  TreeCopy copy;
  IBR_RETURN_IF_ERROR(fs.CreateDirs(to));
  IBR_RETURN_IF_ERROR(CopyTreeBelow(fs, from, to, "", copy));
  return copy;
}

}  // namespace ibr::storage
