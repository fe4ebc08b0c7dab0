// ImportSpool: an anonymous scratch file (created in the storage root's
// metadata folder, unlinked at once: gone when closed, even after a crash)
// that collects the normalised v2 lines of an import before they are handed,
// as a file descriptor, to the storage engine's batch ingest. POSIX directly,
// like batch ingest's own spool, because the engine reads an fd. One thread.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace ibr::legacy {

class ImportSpool {
 public:
  ImportSpool() = default;
  ~ImportSpool();
  ImportSpool(const ImportSpool&) = delete;
  ImportSpool& operator=(const ImportSpool&) = delete;

  Status Open(const std::string& dir, const std::string& name);
  void Append(std::string_view bytes);  // buffered; errors surface in Rewind()
  Status Rewind();                      // writes the buffer out, seeks to the start
  int fd() const { return fd_; }

 private:
  Status WriteOut();
  int fd_ = -1;
  std::string path_;
  std::string buffer_;
  Status status_;
};

}  // namespace ibr::legacy
