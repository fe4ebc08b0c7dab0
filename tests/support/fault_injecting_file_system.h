// FaultInjectingFileSystem: the real file system plus what a power cut or a full disk does,
// for recovery and daemon tests (after LevelDB's fault_injection_test): PowerCut() drops,
// keeps part of, or tears what was not Synced; writes can fail with ENOSPC after a budget,
// fsync can fail, FreeBytes can be set. Thread-safe; PowerCut only while nothing writes.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "common/file_system.h"

namespace ibr::testing {

class FaultInjectingFileSystem final : public FileSystem {
 public:
  enum class CutMode { kDropUnsynced, kKeepRandomPart, kTearLastWrite };

  explicit FaultInjectingFileSystem(std::uint32_t seed = 1) : rng_(seed) {}

  // Simulates losing power: every file written through this object loses
  // (part of) the bytes appended since its last Sync.
  void PowerCut(CutMode mode);
  // Fails every write once `bytes` more bytes have been written (ENOSPC).
  void FailWritesAfter(std::int64_t bytes) {
    std::lock_guard<std::mutex> lock(mu_);
    write_budget_ = bytes;
  }
  void StopFailingWrites() { FailWritesAfter(-1); }
  void FailSyncs(bool fail) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_sync_ = fail;
  }
  // FreeBytes() answers `bytes` (nullopt: the real file system's answer).
  void SetFreeBytes(std::optional<std::uint64_t> bytes) {
    std::lock_guard<std::mutex> lock(mu_);
    free_bytes_ = bytes;
  }
  std::uint64_t synced_size(const std::string& path) const;

  Result<std::unique_ptr<WritableFile>> OpenAppend(const std::string& path) override;
  Result<std::unique_ptr<WritableFile>> OpenTruncate(const std::string& path) override;
  Result<std::string> ReadFile(const std::string& path) override { return real().ReadFile(path); }
  Status WriteAt(const std::string& path, std::uint64_t offset, std::string_view data) override {
    return real().WriteAt(path, offset, data);
  }
  Status Truncate(const std::string& path, std::uint64_t size) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Status CreateDirs(const std::string& path) override { return real().CreateDirs(path); }
  Status SyncDir(const std::string& path) override { return real().SyncDir(path); }
  bool Exists(const std::string& path) override { return real().Exists(path); }
  Result<std::uint64_t> FileSize(const std::string& path) override { return real().FileSize(path); }
  Result<std::vector<DirEntry>> ListDir(const std::string& path) override { return real().ListDir(path); }
  Result<std::uint64_t> FreeBytes(const std::string& path) override;

  // Used by the files it hands out.
  Status AppendTo(const std::string& path, WritableFile& real_file, std::string_view data);
  Status SyncFile(const std::string& path, WritableFile& real_file);

 private:
  struct FileState {
    std::uint64_t synced = 0;
    std::uint64_t size = 0;
    std::uint64_t last_write_start = 0;
  };
  static PosixFileSystem& real() { return PosixFileSystem::Instance(); }
  Status ChargeWrite(std::size_t n);  // under mu_

  mutable std::mutex mu_;
  std::map<std::string, FileState> files_;
  std::optional<std::uint64_t> free_bytes_;
  std::mt19937 rng_;
  std::int64_t write_budget_ = -1;
  bool fail_sync_ = false;
};

}  // namespace ibr::testing
