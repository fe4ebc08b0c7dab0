// FaultInjectingFileSystem: power cuts, ENOSPC and fsync failures on demand.
#include "support/fault_injecting_file_system.h"

namespace ibr::testing {
namespace {

class FaultyFile final : public WritableFile {
 public:
  FaultyFile(FaultInjectingFileSystem& fs, std::string path, std::unique_ptr<WritableFile> real)
      : fs_(fs), path_(std::move(path)), real_(std::move(real)) {}
  Status Append(std::string_view data) override { return fs_.AppendTo(path_, *real_, data); }
  Status Sync() override { return fs_.SyncFile(path_, *real_); }
  Status Close() override { return real_->Close(); }
  std::uint64_t Size() const override { return real_->Size(); }

 private:
  FaultInjectingFileSystem& fs_;
  std::string path_;
  std::unique_ptr<WritableFile> real_;
};

}  // namespace

Status FaultInjectingFileSystem::AppendTo(const std::string& path, WritableFile& real_file, std::string_view data) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& st = files_[path];
  Status budget = ChargeWrite(data.size());
  if (!budget.ok()) {
    // A full disk may accept part of a write before failing: write half, as a real one can.
    std::string_view part = data.substr(0, data.size() / 2);
    if (!part.empty() && real_file.Append(part).ok()) st.size += part.size();
    return budget;
  }
  st.last_write_start = st.size;
  Status s = real_file.Append(data);
  if (s.ok()) st.size += data.size();
  return s;
}

Status FaultInjectingFileSystem::SyncFile(const std::string& path, WritableFile& real_file) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fail_sync_) return Status::IoError("fdatasync " + path + ": Input/output error (injected)");
  Status s = real_file.Sync();
  if (s.ok()) files_[path].synced = files_[path].size;
  return s;
}

Result<std::uint64_t> FaultInjectingFileSystem::FreeBytes(const std::string& path) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_bytes_) return *free_bytes_;
  }
  return real().FreeBytes(path);
}

Status FaultInjectingFileSystem::ChargeWrite(std::size_t n) {
  if (write_budget_ < 0) return Status::Ok();
  if (static_cast<std::int64_t>(n) > write_budget_) {
    write_budget_ = 0;
    return Status::DiskFull("write: No space left on device (injected)");
  }
  write_budget_ -= static_cast<std::int64_t>(n);
  return Status::Ok();
}

Result<std::unique_ptr<WritableFile>> FaultInjectingFileSystem::OpenAppend(const std::string& path) {
  auto f = real().OpenAppend(path);
  if (!f.ok()) return f.status();
  std::lock_guard<std::mutex> lock(mu_);
  bool known = files_.count(path) > 0;
  auto& st = files_[path];
  st.size = (*f)->Size();
  if (!known) st.synced = st.size;  // content from before this object existed is durable
  if (st.synced > st.size) st.synced = st.size;
  return std::unique_ptr<WritableFile>(new FaultyFile(*this, path, std::move(f.value())));
}

Result<std::unique_ptr<WritableFile>> FaultInjectingFileSystem::OpenTruncate(const std::string& path) {
  auto f = real().OpenTruncate(path);
  if (!f.ok()) return f.status();
  std::lock_guard<std::mutex> lock(mu_);
  files_[path] = FileState{};
  return std::unique_ptr<WritableFile>(new FaultyFile(*this, path, std::move(f.value())));
}

Status FaultInjectingFileSystem::Truncate(const std::string& path, std::uint64_t size) {
  IBR_RETURN_IF_ERROR(real().Truncate(path, size));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  if (it != files_.end()) {
    it->second.size = size;
    if (it->second.synced > size) it->second.synced = size;
  }
  return Status::Ok();
}

Status FaultInjectingFileSystem::Rename(const std::string& from, const std::string& to) {
  IBR_RETURN_IF_ERROR(real().Rename(from, to));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(from);
  if (it != files_.end()) {
    files_[to] = it->second;
    files_.erase(it);
  }
  return Status::Ok();
}

Status FaultInjectingFileSystem::Remove(const std::string& path) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    files_.erase(path);
  }
  return real().Remove(path);
}

std::uint64_t FaultInjectingFileSystem::synced_size(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  return it == files_.end() ? 0 : it->second.synced;
}

void FaultInjectingFileSystem::PowerCut(CutMode mode) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [path, st] : files_) {
    if (!real().Exists(path) || st.size <= st.synced) continue;
    std::uint64_t keep = st.synced;
    switch (mode) {
      case CutMode::kDropUnsynced:
        break;
      case CutMode::kKeepRandomPart: {
        std::uniform_int_distribution<std::uint64_t> d(st.synced, st.size);
        keep = d(rng_);
        break;
      }
      case CutMode::kTearLastWrite: {
        // Everything before the last write survives; the last one only in part.
        std::uint64_t start = std::max(st.synced, st.last_write_start);
        std::uniform_int_distribution<std::uint64_t> d(start, st.size - 1);
        keep = d(rng_);
        break;
      }
    }
    real().Truncate(path, keep);
    st.size = keep;
    if (st.synced > keep) st.synced = keep;
  }
}

}  // namespace ibr::testing
