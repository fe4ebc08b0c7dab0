// StoreLock: the single-writer lock of a storage root ({storage}/.lock).
//
// flock(2) on the lock file, held for the life of the object; the file holds
// the holder's pid and command line so a second writer can say who has it.
// The kernel drops the lock when the process dies (kill -9 included), so a
// stale file never blocks a restart. Readers never take it.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace ibr::storage {

class StoreLock {
 public:
  // Busy (with the holder's pid and command) when another process holds it.
  static Result<std::unique_ptr<StoreLock>> Acquire(const std::string& root, const std::string& purpose);
  ~StoreLock();
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;

 private:
  explicit StoreLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace ibr::storage
