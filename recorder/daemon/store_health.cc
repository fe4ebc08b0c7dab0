// StoreHealth: storage error state, logged once per change.
#include "daemon/store_health.h"

namespace ibr::daemon {

void StoreHealth::OnError(const Status& s, const std::string& doing) {
  std::string text = doing + ": " + s.message();
  if (s.code() == StatusCode::kDiskFull) {
    if (disk_.OnDiskFull(s) == DiskGuard::Change::kBecameFull) {
      log_("disk full (" + text + "): new ticks are dropped (counted, reason disk_full) until space returns");
    }
  } else if (writable_ || catalog_ok_) {
    // One log line per change of state, not per failed write.
    log_("storage error (" + text + "): ticks are dropped until writes succeed again");
    writable_ = false;
    catalog_ok_ = s.code() != StatusCode::kInternal && s.code() != StatusCode::kCorruption;
  }
  last_error_ = text;
}

void StoreHealth::OnCommitted() {
  if (!writable_ || !catalog_ok_) {
    writable_ = catalog_ok_ = true;
    log_("storage writes succeed again");
  }
}

}  // namespace ibr::daemon
