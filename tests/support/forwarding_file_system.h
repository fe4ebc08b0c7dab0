// ForwardingFileSystem / ForwardingWritableFile: pass every call to a base one, for test
// file systems that change one or two calls; TestGate: a gate a test arms so that a thread doing
// I/O waits at it until Release() (WaitHeld tells the test it is there). Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "common/file_system.h"

namespace ibr::testing {

// A WritableFile passing every call to the one it wraps (override what the test changes).
class ForwardingWritableFile : public WritableFile {
 public:
  explicit ForwardingWritableFile(std::unique_ptr<WritableFile> f) : f_(std::move(f)) {}
  Status Append(std::string_view d) override { return f_->Append(d); }
  Status Sync() override { return f_->Sync(); }
  Status Close() override { return f_->Close(); }
  std::uint64_t Size() const override { return f_->Size(); }

 protected:
  std::unique_ptr<WritableFile> f_;
};

class ForwardingFileSystem : public FileSystem {
 public:
  explicit ForwardingFileSystem(FileSystem& base) : base_(base) {}
  Result<std::unique_ptr<WritableFile>> OpenAppend(const std::string& p) override { return base_.OpenAppend(p); }
  Result<std::unique_ptr<WritableFile>> OpenTruncate(const std::string& p) override { return base_.OpenTruncate(p); }
  Result<std::string> ReadFile(const std::string& p) override { return base_.ReadFile(p); }
  Status WriteAt(const std::string& p, std::uint64_t o, std::string_view d) override { return base_.WriteAt(p, o, d); }
  Status Truncate(const std::string& p, std::uint64_t n) override { return base_.Truncate(p, n); }
  Status Rename(const std::string& from, const std::string& to) override { return base_.Rename(from, to); }
  Status Remove(const std::string& p) override { return base_.Remove(p); }
  Status CreateDirs(const std::string& p) override { return base_.CreateDirs(p); }
  Status SyncDir(const std::string& p) override { return base_.SyncDir(p); }
  bool Exists(const std::string& p) override { return base_.Exists(p); }
  Result<std::uint64_t> FileSize(const std::string& p) override { return base_.FileSize(p); }
  Result<std::vector<DirEntry>> ListDir(const std::string& p) override { return base_.ListDir(p); }
  Result<std::uint64_t> FreeBytes(const std::string& p) override { return base_.FreeBytes(p); }

 protected:
  FileSystem& base_;
};

class TestGate {
 public:
  void Arm() {
    std::lock_guard<std::mutex> lock(mu_);
    armed_ = true;
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    armed_ = false;
    cv_.notify_all();
  }
  // True once a thread waits at the gate (false after 20 s: the test fails, never hangs).
  bool WaitHeld() {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(20), [this] { return held_ > 0; });
  }
  int held() {
    std::lock_guard<std::mutex> lock(mu_);
    return held_;
  }
  // Called by the gated thread: waits while armed.
  void Pass() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!armed_) return;
    ++held_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return !armed_; });
    --held_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool armed_ = false;
  int held_ = 0;
};

}  // namespace ibr::testing
