// Store: lock, catalog, instance identity, recovery, writer and sealer of a root.
#include "storage/store.h"

#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "storage/layout.h"

namespace ibr::storage {

std::string HostName() {
  char buf[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

std::string DefaultInstanceName(const std::string& environment) { return environment + "-" + HostName(); }

namespace {

std::string AbsolutePath(const std::string& p) {
  char* r = ::realpath(p.c_str(), nullptr);
  if (!r) return p;
  std::string out = r;
  std::free(r);
  return out;
}

}  // namespace

Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options, FileSystem& fs, const Clock& clock) {
  std::unique_ptr<Store> s(new Store(options, fs, clock));
  IBR_RETURN_IF_ERROR(fs.CreateDirs(options.root));
  auto lock = StoreLock::Acquire(options.root, options.purpose);
  if (!lock.ok()) return lock.status();
  s->lock_ = std::move(lock.value());
  IBR_RETURN_IF_ERROR(fs.CreateDirs(MetadataDir(options.root)));
  IBR_RETURN_IF_ERROR(fs.CreateDirs(ProtobufDir(options.root)));
  auto cat = catalog::Catalog::Open(CatalogPath(options.root), catalog::Catalog::Mode::kReadWrite, clock);
  if (!cat.ok()) return cat.status();
  s->catalog_ = std::move(cat.value());

  auto existing = s->catalog_->GetInstance();
  if (!existing.ok()) return existing.status();
  std::string name = options.instance_name;
  if (existing->has_value()) {
    const auto& have = **existing;
    if (!name.empty() && name != have.instance_name) {
      return Status::FailedPrecondition("storage root " + options.root + " belongs to instance '" +
                                        have.instance_name + "', not '" + name +
                                        "': a storage root holds one instance; use a new storage root for a new "
                                        "instance name (or set IB_STREAM_INSTANCE_NAME back)");
    }
    s->instance_ = have;
  } else {
    if (name.empty()) name = DefaultInstanceName(options.environment);
    catalog::InstanceRow row;
    row.instance_name = name;
    row.server_version = IBR_VERSION;
    row.host = HostName();
    row.port = 0;
    row.storage_path = AbsolutePath(options.root);
    row.environment = options.environment;
    row.tws_client_id = options.tws_client_id;
    auto id = s->catalog_->UpsertInstance(row);
    if (!id.ok()) return id.status();
    row.id = *id;
    s->instance_ = row;
  }

  StoreCheckOptions check;
  check.root = options.root;
  check.instance_name = s->instance_.instance_name;
  check.repair = true;
  auto report = CheckStore(check, fs, *s->catalog_, clock);
  if (!report.ok()) return report.status().WithContext("recovering " + options.root);
  s->recovery_ = std::move(report.value());

  WriterOptions w;
  w.root = options.root;
  w.instance_name = s->instance_.instance_name;
  w.max_file_bytes = options.max_file_bytes;
  s->writer_ = std::make_unique<PartitionWriter>(w, fs, *s->catalog_, clock, s->recovery_.next_arrival_seq);
  SealerOptions so;
  so.root = options.root;
  so.instance_name = s->instance_.instance_name;
  so.lz4_level = options.lz4_level;
  s->sealer_ = std::make_unique<Sealer>(so, fs, *s->catalog_);
  return s;
}

Result<std::vector<catalog::TickFileRow>> Store::CloseDue(TimeUs cutoff) {
  auto closed = writer_->CloseHoursEndingBy(cutoff);
  if (!closed.ok()) return closed.status();
  std::vector<catalog::TickFileRow> todo = std::move(closed.value());
  // Files left open by an earlier run (recovered from disk, never reopened) are due too.
  auto open_rows = catalog_->ListTickFiles(catalog::FileStatus::kOpen);
  if (!open_rows.ok()) return open_rows.status();
  for (const auto& r : *open_rows) {
    if (r.hour_bucket + kUsPerHour > cutoff) continue;
    bool listed = false;
    for (const auto& t : todo) listed = listed || (t.id == r.id);
    if (!listed && !writer_->IsOpen(r)) todo.push_back(r);
  }
  return todo;
}

Result<SealSummary> Store::SealHoursEndingBy(TimeUs cutoff) {
  SealSummary summary;
  auto todo = CloseDue(cutoff);
  if (!todo.ok()) return todo.status();
  for (const auto& row : *todo) {
    auto r = sealer_->Seal(row);
    if (!r.ok()) {
      summary.errors.push_back(row.file_path + ": " + r.status().ToString());
      continue;
    }
    summary.dropped_bytes += r->dropped_bytes;
    (r->removed_empty ? summary.removed_empty : summary.sealed) += 1;
  }
  return summary;
}

}  // namespace ibr::storage
