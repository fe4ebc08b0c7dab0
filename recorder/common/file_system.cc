// PosixFileSystem and FileSystem::WriteFileAtomic.
#include "common/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

namespace ibr {
namespace {

Status ErrnoStatus(const std::string& what, const std::string& path, int err) {
  std::string msg = what + " " + path + ": " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) {
    return Status::DiskFull(msg + " (free space on the storage volume, then retry)");
  }
  if (err == ENOENT) return Status::NotFound(msg);
  return Status::IoError(msg);
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd, std::uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Append(std::string_view data) override {
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("write", path_, errno);
      }
      data.remove_prefix(static_cast<size_t>(n));
      size_ += static_cast<std::uint64_t>(n);
    }
    return Status::Ok();
  }
  Status Sync() override {
    if (::fdatasync(fd_) != 0) return ErrnoStatus("fdatasync", path_, errno);
    return Status::Ok();
  }
  Status Close() override {
    if (fd_ < 0) return Status::Ok();
    int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return ErrnoStatus("close", path_, errno);
    return Status::Ok();
  }
  std::uint64_t Size() const override { return size_; }

 private:
  std::string path_;
  int fd_;
  std::uint64_t size_;
};

// open(2) and the file's size at that time.
struct OpenedFd {
  int fd;
  std::uint64_t size;
};
Result<OpenedFd> OpenFd(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("open", path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoStatus("stat", path, err);
  }
  return OpenedFd{fd, static_cast<std::uint64_t>(st.st_size)};
}

Result<std::unique_ptr<WritableFile>> OpenWith(const std::string& path, int flags) {
  auto f = OpenFd(path, flags | O_WRONLY | O_CREAT);
  if (!f.ok()) return f.status();
  return std::unique_ptr<WritableFile>(new PosixWritableFile(path, f->fd, f->size));
}

// The whole file in memory: the default OpenRead for file systems without pread.
class InMemoryReadableFile final : public ReadableFile {
 public:
  explicit InMemoryReadableFile(std::string bytes) : bytes_(std::move(bytes)) {}
  std::uint64_t Size() const override { return bytes_.size(); }
  Status ReadAt(std::uint64_t offset, std::size_t n, char* dst, std::size_t* got) override {
    *got = 0;
    if (offset >= bytes_.size()) return Status::Ok();
    *got = std::min<std::size_t>(n, bytes_.size() - offset);
    std::memcpy(dst, bytes_.data() + offset, *got);
    return Status::Ok();
  }

 private:
  std::string bytes_;
};

class PosixReadableFile final : public ReadableFile {
 public:
  PosixReadableFile(int fd, std::string path, std::uint64_t size) : fd_(fd), path_(std::move(path)), size_(size) {}
  ~PosixReadableFile() override { ::close(fd_); }
  std::uint64_t Size() const override { return size_; }
  Status ReadAt(std::uint64_t offset, std::size_t n, char* dst, std::size_t* got) override {
    *got = 0;
    while (*got < n) {
      ssize_t r = ::pread(fd_, dst + *got, n - *got, static_cast<off_t>(offset + *got));
      if (r < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("pread", path_, errno);
      }
      if (r == 0) break;
      *got += static_cast<std::size_t>(r);
    }
    return Status::Ok();
  }

 private:
  int fd_;
  std::string path_;
  std::uint64_t size_;
};

}  // namespace

Result<std::unique_ptr<ReadableFile>> FileSystem::OpenRead(const std::string& path) {
  auto bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  return std::unique_ptr<ReadableFile>(std::make_unique<InMemoryReadableFile>(std::move(bytes).value()));
}

Result<std::unique_ptr<ReadableFile>> PosixFileSystem::OpenRead(const std::string& path) {
  auto f = OpenFd(path, O_RDONLY);
  if (!f.ok()) return f.status();
  return std::unique_ptr<ReadableFile>(std::make_unique<PosixReadableFile>(f->fd, path, f->size));
}

std::string DirName(const std::string& path) {
  auto pos = path.find_last_of('/');
  if (pos == std::string::npos) return ".";
  if (pos == 0) return "/";
  return path.substr(0, pos);
}

Status FileSystem::WriteFileAtomic(const std::string& path, std::string_view data) {
  static std::atomic<std::uint64_t> counter{0};
  std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  auto file = OpenTruncate(tmp);
  if (!file.ok()) return file.status();
  Status s = (*file)->Append(data);
  if (s.ok()) s = (*file)->Sync();
  Status c = (*file)->Close();
  if (s.ok()) s = c;
  if (s.ok()) s = Rename(tmp, path);
  if (!s.ok()) {
    Remove(tmp);
    return s;
  }
  return SyncDir(DirName(path));
}

Status FileSystem::CreateSymlink(const std::string& target, const std::string& link) {
  return Status::Internal("symlink " + link + " -> " + target + ": this file system has no symbolic links");
}

Result<std::string> FileSystem::ReadSymlink(const std::string& link) {
  return Status::Internal("readlink " + link + ": this file system has no symbolic links");
}

PosixFileSystem& PosixFileSystem::Instance() {
  static PosixFileSystem fs;
  return fs;
}

Result<std::unique_ptr<WritableFile>> PosixFileSystem::OpenAppend(const std::string& path) {
  return OpenWith(path, O_APPEND);
}

Result<std::unique_ptr<WritableFile>> PosixFileSystem::OpenTruncate(const std::string& path) {
  return OpenWith(path, O_TRUNC);
}

Result<std::string> PosixFileSystem::ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open", path, errno);
  std::string out;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ErrnoStatus("read", path, err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status PosixFileSystem::WriteAt(const std::string& path, std::uint64_t offset, std::string_view data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open", path, errno);
  while (!data.empty()) {
    ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ErrnoStatus("write", path, err);
    }
    data.remove_prefix(static_cast<size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
  if (::close(fd) != 0) return ErrnoStatus("close", path, errno);
  return Status::Ok();
}

Status PosixFileSystem::Truncate(const std::string& path, std::uint64_t size) {
  if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0) return ErrnoStatus("truncate", path, errno);
  return Status::Ok();
}

Status PosixFileSystem::Rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoStatus("rename " + from + " to", to, errno);
  return Status::Ok();
}

Status PosixFileSystem::Remove(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus("remove", path, errno);
  return Status::Ok();
}

Status PosixFileSystem::CreateDirs(const std::string& path) {
  if (path.empty()) return Status::Ok();
  std::string cur;
  size_t i = 0;
  while (i <= path.size()) {
    size_t next = path.find('/', i);
    if (next == std::string::npos) next = path.size();
    cur = path.substr(0, next);
    if (!cur.empty() && ::mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST) {
      return ErrnoStatus("mkdir", cur, errno);
    }
    i = next + 1;
  }
  return Status::Ok();
}

Status PosixFileSystem::CreateSymlink(const std::string& target, const std::string& link) {
  if (::symlink(target.c_str(), link.c_str()) != 0) {
    const int err = errno;
    if (err == EEXIST) return Status::AlreadyExists("symlink " + link + ": it exists already");
    return ErrnoStatus("symlink " + target + " as", link, err);
  }
  return Status::Ok();
}

Result<std::string> PosixFileSystem::ReadSymlink(const std::string& link) {
  std::string buf(4096, '\0');
  const ssize_t n = ::readlink(link.c_str(), buf.data(), buf.size());
  if (n < 0) {
    const int err = errno;
    if (err == EINVAL) return Status::InvalidArgument(link + " is not a symbolic link");
    return ErrnoStatus("readlink", link, err);
  }
  buf.resize(static_cast<std::size_t>(n));
  return buf;
}

Status PosixFileSystem::SyncDir(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open directory", path, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return ErrnoStatus("fsync directory", path, err);
  return Status::Ok();
}

bool PosixFileSystem::Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

Result<std::uint64_t> PosixFileSystem::FileSize(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("stat", path, errno);
  return static_cast<std::uint64_t>(st.st_size);
}

Result<std::vector<DirEntry>> PosixFileSystem::ListDir(const std::string& path) {
  DIR* d = ::opendir(path.c_str());
  if (!d) return ErrnoStatus("list", path, errno);
  std::vector<DirEntry> out;
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    bool is_dir = false;
    if (e->d_type == DT_DIR) {
      is_dir = true;
    } else if (e->d_type == DT_UNKNOWN) {
      struct stat st {};
      is_dir = ::stat((path + "/" + name).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    }
    out.push_back({std::move(name), is_dir});
  }
  ::closedir(d);
  return out;
}

Result<std::uint64_t> PosixFileSystem::FreeBytes(const std::string& path) {
  struct statvfs vs {};
  if (::statvfs(path.c_str(), &vs) != 0) return ErrnoStatus("statvfs", path, errno);
  return static_cast<std::uint64_t>(vs.f_bavail) * vs.f_frsize;
}

}  // namespace ibr
