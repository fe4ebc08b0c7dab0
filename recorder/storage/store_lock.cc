// StoreLock: flock-based single-writer lock with holder identification.
#include "storage/store_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "storage/layout.h"

namespace ibr::storage {
namespace {

std::string SelfCommand() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (char& c : raw) {
    if (c == '\0') c = ' ';
  }
  while (!raw.empty() && raw.back() == ' ') raw.pop_back();
  return raw;
}

}  // namespace

Result<std::unique_ptr<StoreLock>> StoreLock::Acquire(const std::string& root, const std::string& purpose) {
  std::string path = LockPath(root);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IoError("cannot open lock file " + path + ": " + std::strerror(errno) +
                           " (is the storage root writable by this user?)");
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::string holder;
    char buf[512];
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    if (n > 0) holder.assign(buf, static_cast<size_t>(n));
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Status::Busy("storage root " + root + " is in use by another writer (" +
                          (holder.empty() ? std::string("holder unknown") : holder) +
                          "); stop it first, or use a read-only command");
    }
    return Status::IoError("cannot lock " + path + ": " + std::strerror(err));
  }
  std::ostringstream who;
  who << "pid " << ::getpid() << ": " << SelfCommand() << " [" << purpose << "]\n";
  std::string text = who.str();
  if (::ftruncate(fd, 0) == 0) {
    ssize_t ignored = ::pwrite(fd, text.data(), text.size(), 0);
    (void)ignored;
  }
  return std::unique_ptr<StoreLock>(new StoreLock(fd));
}

StoreLock::~StoreLock() {
  // Clear the holder line so readers do not mistake a reused pid for a writer.
  if (::ftruncate(fd_, 0) != 0) {
    // Nothing to do: the lock itself is released below either way.
  }
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

}  // namespace ibr::storage
