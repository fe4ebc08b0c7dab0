// TickFileLoader: catalog row -> open cursor, with the sealed-name retry.
#include "query/tick_file_loader.h"

#include <utility>

#include "format/frame.h"
#include "storage/layout.h"

namespace ibr::query {

Result<OpenedTickFile> OpenTickFile(FileSystem& fs, std::string_view storage_root, const catalog::TickFileRow& row,
                                    format::TickDecode decode, std::unique_ptr<format::TickFileCursor> reuse) {
  OpenedTickFile out;
  std::string rel = row.file_path;
  auto kind = format::KindFromPath(rel);
  // Sealed files are read with pread (a seekable one only where the query needs it), open ones whole.
  std::unique_ptr<ReadableFile> sealed_file;
  auto read = [&](format::TickFileKind k, const std::string& path) -> Result<std::string> {
    if (k == format::TickFileKind::kOpen) return fs.ReadFile(path);
    auto f = fs.OpenRead(path);
    if (!f.ok()) return f.status();
    sealed_file = std::move(f).value();
    return std::string();
  };
  auto bytes = read(kind, storage::JoinPath(storage_root, rel));
  if (!bytes.ok() && bytes.status().code() == StatusCode::kNotFound && kind == format::TickFileKind::kOpen) {
    // Sealed between our catalog read and the open: the .pb became .pb.lz4.
    rel = storage::TickFileRelPath(row.contract_id, row.tick_type, row.hour_bucket, row.part, /*sealed=*/true);
    kind = format::TickFileKind::kSealed;
    out.read_sealed_instead = true;
    bytes = read(kind, storage::JoinPath(storage_root, rel));
  }
  if (!bytes.ok()) {
    if (bytes.status().code() == StatusCode::kNotFound) {
      out.note = "skipped " + row.file_path + ": no longer on disk (removed by retention?)";
      return out;
    }
    return bytes.status();
  }
  if (kind == format::TickFileKind::kOpen) {
    // An open file is created, then its header appended: a reader can see it
    // in between. A whole header frame that does not decode is damage.
    std::string_view header;
    format::FrameReader frames(*bytes);
    if (!frames.Next(&header) &&
        (frames.stop() == format::FrameStop::kEnd || frames.stop() == format::FrameStop::kTornTail)) {
      out.note = "skipped " + rel + ": open file without a complete header yet";
      return out;
    }
  }
  out.path = storage::JoinPath(storage_root, rel);
  out.cursor = reuse ? std::move(reuse) : std::make_unique<format::TickFileCursor>();
  Status s = sealed_file ? out.cursor->OpenFile(std::move(sealed_file), kind, decode)
                         : out.cursor->Open(std::move(bytes).value(), kind, decode);
  if (!s.ok()) return s.WithContext("reading " + out.path + " (run `ib-recorder verify` on this storage root)");
  return out;
}

}  // namespace ibr::query
