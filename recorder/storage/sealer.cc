// Sealer: open hour file -> sealed LZ4 file, crash-safely.
#include "storage/sealer.h"

#include <algorithm>

#include "common/time_text.h"
#include "format/lz4_frame.h"
#include "format/frame.h"
#include "format/tick_file_cursor.h"
#include "storage/file_stats.h"
#include "storage/layout.h"

namespace ibr::storage {

namespace {

// One tick of the open file: its sort key and its stored body without CRC
// (a view into the open file's bytes, which the cursor keeps).
struct SealEntry {
  TimeUs timestamp_us;
  std::uint64_t arrival_seq;
  std::string_view body;
};

}  // namespace

Result<SealResult> Sealer::Seal(const catalog::TickFileRow& open_row) {
  SealResult result;
  std::string open_abs = JoinPath(options_.root, open_row.file_path);
  auto bytes = fs_.ReadFile(open_abs);
  if (!bytes.ok()) return bytes.status();
  const std::uint64_t file_size = bytes->size();
  // Every frame is checked as before (whole, CRC-valid, a tick) and decoded
  // for the file's statistics into one reused Tick; the bodies themselves are
  // copied into the sealed content unchanged, not re-encoded.
  format::TickFileCursor cursor;
  Status opened = cursor.Open(std::move(bytes).value(), format::TickFileKind::kOpen, format::TickDecode::kFull);
  if (!opened.ok()) return opened.WithContext("sealing " + open_row.file_path);
  std::vector<SealEntry> entries;
  entries.reserve(file_size / 100);
  std::size_t body_bytes = 0;
  FileStats stats;
  while (cursor.Next()) {
    const Tick& t = cursor.tick();
    stats.Add(t);
    entries.push_back({t.timestamp_us, t.arrival_seq, cursor.body()});
    body_bytes += cursor.body().size();
  }
  if (!cursor.status().ok()) return cursor.status().WithContext("sealing " + open_row.file_path);
  if (cursor.damage()) result.dropped_bytes = file_size - cursor.damage()->valid_bytes;
  std::string day = FormatIsoDate(open_row.hour_bucket);
  if (entries.empty()) {
    catalog::Transaction txn(catalog_.db());
    IBR_RETURN_IF_ERROR(txn.status());
    IBR_RETURN_IF_ERROR(catalog_.DeleteTickFile(open_row.contract_id, open_row.tick_type, open_row.hour_bucket,
                                                open_row.part));
    IBR_RETURN_IF_ERROR(catalog_.RecomputeDailyStats(open_row.contract_id, open_row.tick_type, day));
    IBR_RETURN_IF_ERROR(txn.Commit());
    IBR_RETURN_IF_ERROR(fs_.Remove(open_abs));
    result.row = open_row;
    result.removed_empty = true;
    return result;
  }
  auto key_less = [](const SealEntry& a, const SealEntry& b) {
    if (a.timestamp_us != b.timestamp_us) return a.timestamp_us < b.timestamp_us;
    return a.arrival_seq < b.arrival_seq;
  };
  if (!std::is_sorted(entries.begin(), entries.end(), key_less)) {
    std::stable_sort(entries.begin(), entries.end(), key_less);
  }

  format::FileHeaderInfo header = cursor.header();
  header.start_time = stats.start_time;
  header.end_time = stats.end_time;
  header.message_count = static_cast<std::uint64_t>(stats.count);
  header.compression = "lz4";
  header.hour_bucket = open_row.hour_bucket;
  header.part = static_cast<std::uint32_t>(open_row.part);
  if (header.instance_name.empty()) header.instance_name = options_.instance_name;
  std::string content;
  content.reserve(64 + 4 * entries.size() + body_bytes);
  format::AppendFrame(content, format::EncodeFileHeader(header));
  for (const SealEntry& e : entries) format::AppendFrame(content, e.body);
  auto compressed = format::Lz4CompressFrame(content, options_.lz4_level);
  if (!compressed.ok()) return compressed.status();

  catalog::TickFileRow row = open_row;
  row.file_path = TickFileRelPath(open_row.contract_id, open_row.tick_type, open_row.hour_bucket, open_row.part, true);
  std::string sealed_abs = JoinPath(options_.root, row.file_path);
  IBR_RETURN_IF_ERROR(fs_.WriteFileAtomic(sealed_abs, *compressed));

  stats.FillRow(row);
  row.status = catalog::FileStatus::kSealed;
  row.compression = "lz4";
  row.file_size_bytes = static_cast<std::int64_t>(compressed->size());
  row.checksum = format::ContentChecksum(content);
  {
    catalog::Transaction txn(catalog_.db());
    IBR_RETURN_IF_ERROR(txn.status());
    auto id = catalog_.UpsertTickFile(row);
    if (!id.ok()) return id.status();
    row.id = *id;
    IBR_RETURN_IF_ERROR(catalog_.RecomputeDailyStats(row.contract_id, row.tick_type, day));
    IBR_RETURN_IF_ERROR(txn.Commit());
  }
  IBR_RETURN_IF_ERROR(fs_.Remove(open_abs));
  IBR_RETURN_IF_ERROR(fs_.SyncDir(DirName(open_abs)));
  result.row = std::move(row);
  return result;
}

}  // namespace ibr::storage
