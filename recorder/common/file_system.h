// FileSystem: every OS file operation the recorder makes, behind one interface.
//
// PosixFileSystem is the real one. Tests wrap it (FaultInjectingFileSystem in
// storage tests) to tear writes, drop unsynced data, fail fsync or report
// ENOSPC. Paths are absolute or relative to the process's cwd. Errors are
// Status values carrying the path and strerror. Implementations are
// thread-safe; a WritableFile is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ibr {

// A file open for appending. Append() hands bytes to the OS (safe against a
// process crash); Sync() makes them durable (fdatasync: safe against power loss).
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
  virtual std::uint64_t Size() const = 0;  // bytes appended so far, including existing content
};

// A file open for positional reads (pread): readers that stream a file
// instead of holding it whole. One thread at a time.
class ReadableFile {
 public:
  virtual ~ReadableFile() = default;
  virtual std::uint64_t Size() const = 0;  // at open time
  // Reads up to n bytes at offset into dst; *got is short only at the end of the file.
  virtual Status ReadAt(std::uint64_t offset, std::size_t n, char* dst, std::size_t* got) = 0;
};

struct DirEntry {
  std::string name;
  bool is_dir = false;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Opens (creating if needed) for append; Size() starts at the current length.
  virtual Result<std::unique_ptr<WritableFile>> OpenAppend(const std::string& path) = 0;
  // Creates or truncates.
  virtual Result<std::unique_ptr<WritableFile>> OpenTruncate(const std::string& path) = 0;
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // Opens for positional reads. The default holds the whole file in memory
  // (through ReadFile); PosixFileSystem reads with pread.
  virtual Result<std::unique_ptr<ReadableFile>> OpenRead(const std::string& path);
  // Writes bytes at an offset of an existing file (header rewrite) without truncating.
  virtual Status WriteAt(const std::string& path, std::uint64_t offset, std::string_view data) = 0;
  virtual Status Truncate(const std::string& path, std::uint64_t size) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status Remove(const std::string& path) = 0;  // ok if missing
  virtual Status CreateDirs(const std::string& path) = 0;  // mkdir -p
  virtual Status SyncDir(const std::string& path) = 0;     // fsync a directory
  virtual bool Exists(const std::string& path) = 0;
  virtual Result<std::uint64_t> FileSize(const std::string& path) = 0;
  virtual Result<std::vector<DirEntry>> ListDir(const std::string& path) = 0;
  virtual Result<std::uint64_t> FreeBytes(const std::string& path) = 0;
  // Symbolic links (migrate switch/rollback swap `storage-active`). `link` is
  // created pointing at `target` (text, not resolved); AlreadyExists if `link`
  // exists. ReadSymlink: the link's text; InvalidArgument when `link` is not a
  // symlink. The defaults say the file system cannot; PosixFileSystem can.
  virtual Status CreateSymlink(const std::string& target, const std::string& link);
  virtual Result<std::string> ReadSymlink(const std::string& link);

  // Writes a whole file crash-safely: temp file, fsync, rename, fsync directory.
  Status WriteFileAtomic(const std::string& path, std::string_view data);
};

// The real file system (POSIX calls; ENOSPC maps to StatusCode::kDiskFull).
class PosixFileSystem final : public FileSystem {
 public:
  Result<std::unique_ptr<WritableFile>> OpenAppend(const std::string& path) override;
  Result<std::unique_ptr<WritableFile>> OpenTruncate(const std::string& path) override;
  Result<std::string> ReadFile(const std::string& path) override;
  Result<std::unique_ptr<ReadableFile>> OpenRead(const std::string& path) override;
  Status WriteAt(const std::string& path, std::uint64_t offset, std::string_view data) override;
  Status Truncate(const std::string& path, std::uint64_t size) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Status CreateDirs(const std::string& path) override;
  Status SyncDir(const std::string& path) override;
  bool Exists(const std::string& path) override;
  Result<std::uint64_t> FileSize(const std::string& path) override;
  Result<std::vector<DirEntry>> ListDir(const std::string& path) override;
  Result<std::uint64_t> FreeBytes(const std::string& path) override;
  Status CreateSymlink(const std::string& target, const std::string& link) override;
  Result<std::string> ReadSymlink(const std::string& link) override;

  static PosixFileSystem& Instance();
};

// Directory part of a path ("a/b/c" -> "a/b"; "c" -> ".").
std::string DirName(const std::string& path);

}  // namespace ibr
