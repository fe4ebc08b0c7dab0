// DiskGuard: when the recorder must stop writing ticks because the disk is (nearly) full,
// and when it may resume. Full below the floor (IB_STREAM_MIN_FREE_MB) or after ENOSPC;
// normal again only once free space is above the floor and a probe write (written, synced,
// removed) succeeds. Owned and called by the writer thread.
#pragma once

#include <cstdint>
#include <string>

#include "common/file_system.h"
#include "common/status.h"

namespace ibr::daemon {

class DiskGuard {
 public:
  enum class Change { kNone, kBecameFull, kResumed };

  DiskGuard(FileSystem& fs, std::string root, std::uint64_t min_free_bytes);

  // Reads free space; enters or leaves the full state. Errors reading free
  // space leave the state as it was (last_error() says why).
  Change Check();
  // A write failed with ENOSPC (or any DiskFull status).
  Change OnDiskFull(const Status& s);

  bool full() const { return full_; }
  std::uint64_t free_bytes() const { return free_bytes_; }
  const std::string& reason() const { return reason_; }  // why it is full

 private:
  Status Probe();

  FileSystem& fs_;
  const std::string root_;
  const std::string probe_path_;
  const std::uint64_t min_free_;
  bool full_ = false;
  std::uint64_t free_bytes_ = 0;
  std::string reason_;
};

}  // namespace ibr::daemon
