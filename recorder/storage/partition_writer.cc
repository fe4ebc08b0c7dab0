// PartitionWriter: hourly tick files, buffered appends, group commit.
#include "storage/partition_writer.h"

#include <algorithm>
#include <set>

#include "common/time_text.h"
#include "format/file_header.h"
#include "format/frame.h"
#include "format/tick_codec.h"
#include "storage/layout.h"

namespace ibr::storage {

struct PartitionWriter::OpenFile {
  catalog::TickFileRow row;
  FileStats stats;          // includes buffered ticks
  FileStats durable_stats;  // only ticks handed to the OS
  std::string abs_path;
  std::unique_ptr<WritableFile> file;
  std::string buffer;
  std::uint64_t durable_size = 0;  // bytes on disk known to hold whole frames
  std::uint64_t committed_size = 0;  // what the catalog row records (rollback point)
  FileStats committed_stats;         // the statistics of those bytes
  bool touched = false;              // written or appended to since the last commit
  bool cut_pending = false;          // a rollback could not cut the file: cut before the next write
  bool dirty = false;              // catalog row needs writing
  bool retired = false;            // closed by a size split, waiting for its hour's seal
};

std::size_t PartitionWriter::KeyHash::operator()(const PartitionKey& k) const {
  std::uint64_t h = k.contract_id;
  h = h * 0x9E3779B97F4A7C15ull ^ static_cast<std::uint64_t>(k.tick_type);
  h = h * 0x9E3779B97F4A7C15ull ^ static_cast<std::uint64_t>(k.hour_bucket / kUsPerHour);
  return static_cast<std::size_t>(h ^ (h >> 29));
}

PartitionWriter::PartitionWriter(WriterOptions options, FileSystem& fs, catalog::Catalog& catalog,
                                 const Clock& clock, std::uint64_t next_arrival_seq)
    : options_(std::move(options)), fs_(fs), catalog_(catalog), clock_(clock), next_seq_(next_arrival_seq) {
  if (next_seq_ == 0) next_seq_ = 1;
}

PartitionWriter::~PartitionWriter() = default;

std::size_t PartitionWriter::open_files() const {
  std::size_t n = 0;
  for (const auto& [k, p] : partitions_) n += p.open ? 1 : 0;
  return n;
}

bool PartitionWriter::IsOpen(const catalog::TickFileRow& row) const {
  auto same = [&](const OpenFile& f) {
    return f.row.contract_id == row.contract_id && f.row.tick_type == row.tick_type &&
           f.row.hour_bucket == row.hour_bucket && f.row.part == row.part;
  };
  for (const auto& [k, p] : partitions_) {
    if (p.open && same(*p.open)) return true;
  }
  for (const auto& f : retired_) {
    if (same(*f)) return true;
  }
  return false;
}

std::size_t PartitionWriter::buffered_bytes() const {
  std::size_t n = 0;
  for (const auto& [k, p] : partitions_) n += p.open ? p.open->buffer.size() : 0;
  return n;
}

Result<std::unique_ptr<PartitionWriter::OpenFile>> PartitionWriter::CreateFile(const PartitionKey& key, int part,
                                                                               catalog::PartReason reason) {
  auto f = std::make_unique<OpenFile>();
  f->row.contract_id = key.contract_id;
  f->row.tick_type = key.tick_type;
  f->row.hour_bucket = key.hour_bucket;
  f->row.part = part;
  f->row.part_reason = reason;
  f->row.status = catalog::FileStatus::kOpen;
  f->row.compression = "none";
  f->row.file_path = TickFileRelPath(key.contract_id, key.tick_type, key.hour_bucket, part, false);
  f->row.start_time = f->row.end_time = key.hour_bucket;
  f->abs_path = JoinPath(options_.root, f->row.file_path);
  std::string dir = DirName(f->abs_path);
  if (!known_dirs_.count(dir)) {
    IBR_RETURN_IF_ERROR(fs_.CreateDirs(dir));
    known_dirs_.insert(dir);
  }
  // A stray file of that name (not in the catalog) is not ours to append to.
  if (fs_.Exists(f->abs_path)) {
    IBR_RETURN_IF_ERROR(fs_.Rename(f->abs_path, f->abs_path + ".stray"));
  }
  auto file = fs_.OpenTruncate(f->abs_path);
  if (!file.ok()) return file.status();
  f->file = std::move(file.value());
  dirs_to_sync_.push_back(dir);
  format::FileHeaderInfo h;
  h.start_time = h.end_time = key.hour_bucket;
  h.contract_id = key.contract_id;
  h.tick_type = key.tick_type;
  h.message_count = 0;
  h.compression = "none";
  h.hour_bucket = key.hour_bucket;
  h.part = static_cast<std::uint32_t>(part);
  h.instance_name = options_.instance_name;
  std::string header;
  format::AppendFrame(header, format::EncodeFileHeader(h));
  Status s = f->file->Append(header);
  if (!s.ok()) {
    f->file.reset();
    fs_.Remove(f->abs_path);
    return s;
  }
  f->durable_size = f->committed_size = f->file->Size();  // not in the catalog yet: rolls back to its header
  bytes_written_ += header.size();
  ++files_touched_;
  f->dirty = true;
  return f;
}

Result<std::unique_ptr<PartitionWriter::OpenFile>> PartitionWriter::ReopenFile(const catalog::TickFileRow& row) {
  auto f = std::make_unique<OpenFile>();
  f->row = row;
  f->abs_path = JoinPath(options_.root, row.file_path);
  auto file = fs_.OpenAppend(f->abs_path);
  if (!file.ok()) return file.status();
  f->file = std::move(file.value());
  f->durable_size = f->file->Size();
  // Recovery made the file and its row agree; were they to differ, the row is what was committed.
  f->committed_size = row.file_size_bytes > 0 ? static_cast<std::uint64_t>(row.file_size_bytes) : f->durable_size;
  known_dirs_.insert(DirName(f->abs_path));
  ++files_touched_;
  // Rebuild the running statistics from the row recovery wrote.
  FileStats& s = f->stats;
  s.count = row.message_count;
  s.start_time = row.start_time;
  s.end_time = row.end_time;
  s.first_sequence = row.first_sequence;
  s.last_sequence = row.last_sequence;
  s.min_price = row.min_price;
  s.max_price = row.max_price;
  s.price_sum = row.price_sum.value_or(0);
  s.price_count = row.price_count;
  s.has_volume = row.total_volume.has_value();
  s.volume = row.total_volume.value_or(0);
  s.notional = row.notional.value_or(0);
  f->durable_stats = s;
  f->committed_stats = s;
  return f;
}

Result<PartitionWriter::Partition*> PartitionWriter::PartitionFor(const Tick& tick) {
  PartitionKey key{tick.contract_id, tick.tick_type, HourBucket(tick.timestamp_us)};
  if (last_partition_ && key == last_key_ && last_partition_->open && !last_partition_->open->retired) {
    return last_partition_;
  }
  auto it = partitions_.find(key);
  if (it == partitions_.end()) {
    Partition p;
    // What does the catalog already know about this hour? (restart, late ticks)
    auto rows = catalog_.FindFiles(key.contract_id, key.tick_type, key.hour_bucket, key.hour_bucket + kUsPerHour);
    if (!rows.ok()) return rows.status();
    const catalog::TickFileRow* latest = nullptr;
    for (const auto& r : *rows) {
      if (r.hour_bucket != key.hour_bucket) continue;
      if (!latest || r.part > latest->part) latest = &r;
    }
    if (latest) {
      p.last_part = latest->part;
      if (latest->status == catalog::FileStatus::kOpen) {
        auto f = ReopenFile(*latest);
        if (!f.ok()) return f.status();
        p.open = std::move(f.value());
      }
    }
    it = partitions_.emplace(key, std::move(p)).first;
  }
  Partition& p = it->second;
  if (!p.open) {
    auto reason = p.last_part == 0 ? catalog::PartReason::kFirst : catalog::PartReason::kLate;
    auto f = CreateFile(key, p.last_part + 1, reason);
    if (!f.ok()) return f.status();
    p.open = std::move(f.value());
    p.last_part += 1;
    if (!p.open->file) return Status::Internal("file not open");
  }
  last_partition_ = &p;
  last_key_ = key;
  return &p;
}

Status PartitionWriter::WriteBuffer(OpenFile& f) {
  if (f.buffer.empty()) return Status::Ok();
  f.touched = true;
  // Never append behind bytes a failed rollback left: they would be committed with ours.
  Status s = f.cut_pending ? CutBack(f) : Status::Ok();
  if (s.ok()) s = f.file->Append(f.buffer);
  if (!s.ok()) {
    // Nothing since the last commit stays: cut every file back (partial frames included).
    Status r = Rollback();
    (void)r;  // if a cut fails too, recovery cuts what the catalog does not record
    return s;
  }
  bytes_written_ += f.buffer.size();
  f.durable_size = f.file->Size();
  f.durable_stats = f.stats;
  f.buffer.clear();
  return Status::Ok();
}

Status PartitionWriter::CutBack(OpenFile& f) {
  // Cut back to the committed size and make the cut durable, through a fresh handle.
  f.cut_pending = true;
  Status s = fs_.Truncate(f.abs_path, f.committed_size);
  if (s.ok()) {
    auto reopened = fs_.OpenAppend(f.abs_path);
    if (reopened.ok()) {
      f.file = std::move(reopened.value());
      s = f.file->Sync();
    } else {
      s = reopened.status();
    }
  }
  if (!s.ok()) {
    return s.WithContext("cutting " + f.row.file_path + " back to its committed " + std::to_string(f.committed_size) +
                         " bytes");
  }
  f.durable_size = f.committed_size;
  f.touched = false;
  f.cut_pending = false;
  return Status::Ok();
}

Status PartitionWriter::Rollback() {
  std::vector<OpenFile*> files;
  for (auto& [k, p] : partitions_) {
    if (p.open) files.push_back(p.open.get());
  }
  for (auto& f : retired_) files.push_back(f.get());
  Status first_error;
  for (OpenFile* f : files) {
    const std::int64_t lost_ticks = f->stats.count - f->committed_stats.count;
    const std::uint64_t on_disk = f->durable_size;
    if (lost_ticks > 0 || !f->buffer.empty() || f->touched || on_disk != f->committed_size) {
      LostTicks lost{f->row.contract_id, f->row.tick_type, lost_ticks,
                     static_cast<std::int64_t>(on_disk + f->buffer.size()) - static_cast<std::int64_t>(f->committed_size)};
      ticks_lost_ += static_cast<std::uint64_t>(std::max<std::int64_t>(0, lost_ticks));
      if (lost_ticks > 0) lost_.push_back(lost);
      f->buffer.clear();
      f->stats = f->durable_stats = f->committed_stats;
      Status s = CutBack(*f);
      if (!s.ok() && first_error.ok()) first_error = s;
    }
  }
  pending_flush_.clear();
  return first_error;
}

Status PartitionWriter::RetireToPending(Partition& p) {
  IBR_RETURN_IF_ERROR(WriteBuffer(*p.open));
  p.open->retired = true;
  retired_.push_back(std::move(p.open));
  return Status::Ok();
}

Status PartitionWriter::Append(Tick& tick) {
  Status s = AppendOne(tick);
  // Whatever failed (a new file, a size split, a buffer write), nothing since
  // the last commit stays half done: WriteBuffer rolled back already, the rest here.
  if (!s.ok() && !pending_flush_.empty()) {
    Status r = Rollback();
    (void)r;  // what a failed cut leaves, recovery cuts
  }
  return s;
}

Status PartitionWriter::AppendOne(Tick& tick) {
  auto pr = PartitionFor(tick);
  if (!pr.ok()) return pr.status();
  Partition* p = *pr;
  OpenFile* f = p->open.get();

  scratch_.clear();
  tick.arrival_seq = next_seq_;
  format::EncodeTickMessage(tick, format::Checksum::kCrc32c, scratch_);
  std::uint64_t frame_bytes = scratch_.size() + 4;
  if (f->stats.count > 0 && f->durable_size + f->buffer.size() + frame_bytes > options_.max_file_bytes) {
    IBR_RETURN_IF_ERROR(RetireToPending(*p));
    PartitionKey key{tick.contract_id, tick.tick_type, HourBucket(tick.timestamp_us)};
    auto nf = CreateFile(key, p->last_part + 1, catalog::PartReason::kSizeSplit);
    if (!nf.ok()) return nf.status();
    p->open = std::move(nf.value());
    p->last_part += 1;
    f = p->open.get();
  }
  format::AppendFrame(f->buffer, scratch_);
  ++next_seq_;
  ++ticks_appended_;
  f->stats.Add(tick);
  f->dirty = true;
  FlushedContract& fc = pending_flush_[tick.contract_id];
  if (fc.ticks == 0) {
    fc.first_time = fc.last_time = tick.timestamp_us;
  } else {
    fc.first_time = std::min(fc.first_time, tick.timestamp_us);
    fc.last_time = std::max(fc.last_time, tick.timestamp_us);
  }
  ++fc.ticks;
  fc.bytes += static_cast<std::int64_t>(frame_bytes);
  if (f->buffer.size() >= options_.buffer_bytes) {
    Status s = WriteBuffer(*f);
    if (!s.ok()) {
      // The whole buffer (this tick included) was not stored.
      return s;
    }
  }
  return Status::Ok();
}

Result<FlushReport> PartitionWriter::Flush(bool sync, const std::function<Status(catalog::Catalog&)>& extra) {
  std::vector<OpenFile*> dirty;
  for (auto& [k, p] : partitions_) {
    if (p.open && p.open->dirty) dirty.push_back(p.open.get());
  }
  for (auto& f : retired_) {
    if (f->dirty) dirty.push_back(f.get());
  }
  // All or nothing: the first failure rolls every file back to its catalog row.
  auto fail = [this](const Status& s) {
    Status r = Rollback();
    (void)r;  // what a failed cut leaves, recovery cuts (the catalog does not record it)
    return s;
  };
  for (OpenFile* f : dirty) {
    Status s = WriteBuffer(*f);  // rolls back by itself when it fails
    if (!s.ok()) return s;
    if (sync) {
      s = f->file->Sync();
      if (!s.ok()) return fail(s);
    }
  }
  if (sync) {
    std::sort(dirs_to_sync_.begin(), dirs_to_sync_.end());
    dirs_to_sync_.erase(std::unique(dirs_to_sync_.begin(), dirs_to_sync_.end()), dirs_to_sync_.end());
    for (const auto& d : dirs_to_sync_) {
      // The new file's name, and its parents' (new day/contract folders), must survive a power cut.
      Status s = fs_.SyncDir(d);
      for (std::string up = DirName(d); s.ok() && up.size() > options_.root.size(); up = DirName(up)) {
        s = fs_.SyncDir(up);
      }
      if (!s.ok()) return fail(s);
    }
    dirs_to_sync_.clear();
  }
  FlushReport report;
  report.synced = sync;
  if (dirty.empty() && !extra) return report;
  std::vector<std::int64_t> ids;
  Status committed = [&]() -> Status {
    catalog::Transaction txn(catalog_.db());
    IBR_RETURN_IF_ERROR(txn.status());
    std::set<std::tuple<std::uint32_t, TickType, std::string>> days;
    for (OpenFile* f : dirty) {
      catalog::TickFileRow row = f->row;
      f->stats.FillRow(row);
      if (f->stats.count == 0) row.start_time = row.end_time = row.hour_bucket;
      row.file_size_bytes = static_cast<std::int64_t>(f->durable_size);
      auto id = catalog_.UpsertTickFile(row);
      if (!id.ok()) return id.status();
      ids.push_back(*id);
      days.insert({row.contract_id, row.tick_type, FormatIsoDate(row.hour_bucket)});
    }
    for (const auto& [c, tt, day] : days) {
      IBR_RETURN_IF_ERROR(catalog_.RecomputeDailyStats(c, tt, day));
    }
    if (extra) IBR_RETURN_IF_ERROR(extra(catalog_));
    return txn.Commit();
  }();
  if (!committed.ok()) return fail(committed);
  for (std::size_t i = 0; i < dirty.size(); ++i) {
    OpenFile* f = dirty[i];
    f->row.id = ids[i];
    f->stats.FillRow(f->row);
    if (f->stats.count == 0) f->row.start_time = f->row.end_time = f->row.hour_bucket;
    f->row.file_size_bytes = static_cast<std::int64_t>(f->durable_size);
    f->dirty = false;
  }
  // What the catalog now records is the rollback point of every file.
  for (auto& [k, p] : partitions_) {
    if (p.open) MarkCommitted(*p.open);
  }
  for (auto& f : retired_) MarkCommitted(*f);
  report.committed = true;
  report.durable = std::move(pending_flush_);
  pending_flush_.clear();
  for (const auto& [cid, fc] : report.durable) report.ticks += fc.ticks;
  return report;
}

void PartitionWriter::MarkCommitted(OpenFile& f) {
  if (f.dirty) return;  // not in this commit (cannot happen after a full flush; kept safe)
  f.committed_size = f.durable_size;
  f.committed_stats = f.durable_stats;
  f.touched = false;
}

std::vector<LostTicks> PartitionWriter::TakeLostTicks() {
  std::vector<LostTicks> out;
  out.swap(lost_);
  return out;
}

Result<std::vector<catalog::TickFileRow>> PartitionWriter::CloseHoursEndingBy(TimeUs cutoff) {
  IBR_RETURN_IF_ERROR(Flush(true).status());
  std::vector<catalog::TickFileRow> out;
  for (auto it = retired_.begin(); it != retired_.end();) {
    if ((*it)->row.hour_bucket + kUsPerHour <= cutoff) {
      IBR_RETURN_IF_ERROR((*it)->file->Close());
      out.push_back((*it)->row);
      it = retired_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [key, p] : partitions_) {
    if (p.open && key.hour_bucket + kUsPerHour <= cutoff) {
      IBR_RETURN_IF_ERROR(p.open->file->Close());
      out.push_back(p.open->row);
      p.open.reset();
    }
  }
  last_partition_ = nullptr;
  return out;
}

}  // namespace ibr::storage
