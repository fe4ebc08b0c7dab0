// TickFileLoader: opens the tick file a catalog row names for streaming,
// safely beside a live writer. A row read while the file was open (`.pb`) may
// find it sealed by now (`.pb.lz4`, the `.pb` removed): the sealed name is
// tried. Of an open file only whole, checksummed frames are returned (a torn
// tail is the writer mid-append, not an error).
//
// Stateless; any thread, with that thread's FileSystem.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "catalog/catalog_rows.h"
#include "common/file_system.h"
#include "common/status.h"
#include "format/tick_file_cursor.h"

namespace ibr::query {

struct OpenedTickFile {
  // nullptr: nothing to read — the file is gone (retention, or sealed and
  // then removed) or an open file has no complete header yet; `note` says which.
  std::unique_ptr<format::TickFileCursor> cursor;
  std::string path;  // the file read, under the storage root (for messages)
  std::string note;
  bool read_sealed_instead = false;  // the row named the open file, the sealed one was read
};

// Opens the row's file with a cursor positioned before its first tick,
// decoding ticks as `decode` says. `reuse`, when given, is a cursor of an
// earlier file whose buffers are reused. Errors: Corruption for a damaged
// sealed file or a header that cannot be read in a file that has more than a
// header's worth of bytes; IoError when the OS refuses the read.
Result<OpenedTickFile> OpenTickFile(FileSystem& fs, std::string_view storage_root, const catalog::TickFileRow& row,
                                    format::TickDecode decode,
                                    std::unique_ptr<format::TickFileCursor> reuse = nullptr);

}  // namespace ibr::query
