// DiskGuard: free-space floor, ENOSPC, probe write before resuming.
#include "daemon/disk_guard.h"

#include "storage/layout.h"

namespace ibr::daemon {
namespace {

constexpr std::size_t kProbeBytes = 64 << 10;  // about one buffer of ticks

std::string Mb(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MB"; }

}  // namespace

DiskGuard::DiskGuard(FileSystem& fs, std::string root, std::uint64_t min_free_bytes)
    : fs_(fs),
      root_(std::move(root)),
      probe_path_(storage::JoinPath(storage::MetadataDir(root_), ".space-probe")),
      min_free_(min_free_bytes) {}

Status DiskGuard::Probe() {
  auto f = fs_.OpenTruncate(probe_path_);
  if (!f.ok()) return f.status();
  Status s = (*f)->Append(std::string(kProbeBytes, '\0'));
  if (s.ok()) s = (*f)->Sync();
  (*f)->Close();
  Status r = fs_.Remove(probe_path_);
  return s.ok() ? r : s;
}

DiskGuard::Change DiskGuard::Check() {
  auto free = fs_.FreeBytes(root_);
  if (!free.ok()) return Change::kNone;
  free_bytes_ = *free;
  if (!full_) {
    if (free_bytes_ >= min_free_) return Change::kNone;
    full_ = true;
    reason_ = "free space under " + root_ + " is " + Mb(free_bytes_) + ", below IB_STREAM_MIN_FREE_MB (" +
              Mb(min_free_) + ")";
    return Change::kBecameFull;
  }
  if (free_bytes_ < min_free_) return Change::kNone;
  Status p = Probe();
  if (!p.ok()) {
    reason_ = "free space is back above the floor but a test write failed: " + p.message();
    return Change::kNone;
  }
  full_ = false;
  reason_.clear();
  return Change::kResumed;
}

DiskGuard::Change DiskGuard::OnDiskFull(const Status& s) {
  reason_ = s.message();
  if (full_) return Change::kNone;
  full_ = true;
  return Change::kBecameFull;
}

}  // namespace ibr::daemon
