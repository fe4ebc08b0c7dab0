// ImportSpool: open + unlink, 1 MiB buffered writes, lseek back to 0.
#include "legacy/import_spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ibr::legacy {
namespace {
constexpr std::size_t kSpoolBufferBytes = 1 << 20;
}  // namespace

ImportSpool::~ImportSpool() {
  if (fd_ >= 0) ::close(fd_);
}

Status ImportSpool::Open(const std::string& dir, const std::string& name) {
  path_ = dir + "/" + name;
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd_ < 0) return Status::IoError("cannot create scratch file " + path_ + ": " + std::strerror(errno));
  ::unlink(path_.c_str());
  return Status::Ok();
}

void ImportSpool::Append(std::string_view bytes) {
  buffer_.append(bytes);
  if (buffer_.size() >= kSpoolBufferBytes && status_.ok()) status_ = WriteOut();
}

Status ImportSpool::WriteOut() {
  for (std::size_t done = 0; done < buffer_.size();) {
    const ssize_t w = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      return err == ENOSPC ? Status::DiskFull("writing scratch file " + path_ + ": no space left")
                           : Status::IoError("writing scratch file " + path_ + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(w);
  }
  buffer_.clear();
  return Status::Ok();
}

Status ImportSpool::Rewind() {
  if (status_.ok()) status_ = WriteOut();
  if (!status_.ok()) return status_;
  if (::lseek(fd_, 0, SEEK_SET) != 0) return Status::IoError("seeking scratch file " + path_ + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace ibr::legacy
