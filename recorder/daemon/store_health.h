// StoreHealth: whether the writer's storage works — files writable, catalog usable, the last
// error (for /health and the status page) — and the one log line per change of state. Disk-full
// errors go to the DiskGuard instead. Writer thread only.
#pragma once

#include <functional>
#include <string>

#include "common/status.h"
#include "daemon/disk_guard.h"

namespace ibr::daemon {

class StoreHealth {
 public:
  using LogFn = std::function<void(const std::string&)>;
  StoreHealth(DiskGuard& disk, LogFn log) : disk_(disk), log_(std::move(log)) {}

  // A storage operation (`doing`) failed.
  void OnError(const Status& s, const std::string& doing);
  // A flush committed: writes succeed (again).
  void OnCommitted();
  void ClearError() { last_error_.clear(); }

  bool healthy() const { return writable_ && catalog_ok_; }
  bool writable() const { return writable_; }
  bool catalog_ok() const { return catalog_ok_; }
  const std::string& last_error() const { return last_error_; }

 private:
  DiskGuard& disk_;
  LogFn log_;
  bool writable_ = true, catalog_ok_ = true;
  std::string last_error_;
};

}  // namespace ibr::daemon
