// Sealer: open hour file -> sealed LZ4 file, crash-safely.
#include "storage/sealer.h"

#include <algorithm>

#include "common/time_text.h"
#include "format/lz4_frame.h"
#include "format/tick_file.h"
#include "storage/file_stats.h"
#include "storage/layout.h"

namespace ibr::storage {

Result<SealResult> Sealer::Seal(const catalog::TickFileRow& open_row) {
  SealResult result;
  std::string open_abs = JoinPath(options_.root, open_row.file_path);
  auto bytes = fs_.ReadFile(open_abs);
  if (!bytes.ok()) return bytes.status();
  auto contents = format::DecodeTickFile(std::move(bytes.value()), format::TickFileKind::kOpen, false);
  if (!contents.ok()) return contents.status().WithContext("sealing " + open_row.file_path);
  if (contents->damage) {
    auto size = fs_.FileSize(open_abs);
    if (size.ok()) result.dropped_bytes = *size - contents->damage->valid_bytes;
  }
  std::vector<Tick>& ticks = contents->ticks;
  std::string day = FormatIsoDate(open_row.hour_bucket);
  if (ticks.empty()) {
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
  std::stable_sort(ticks.begin(), ticks.end(), [](const Tick& a, const Tick& b) {
    if (a.timestamp_us != b.timestamp_us) return a.timestamp_us < b.timestamp_us;
    return a.arrival_seq < b.arrival_seq;
  });
  FileStats stats;
  for (const Tick& t : ticks) stats.Add(t);

  format::FileHeaderInfo header = contents->header;
  header.start_time = stats.start_time;
  header.end_time = stats.end_time;
  header.message_count = static_cast<std::uint64_t>(stats.count);
  header.compression = "lz4";
  header.hour_bucket = open_row.hour_bucket;
  header.part = static_cast<std::uint32_t>(open_row.part);
  if (header.instance_name.empty()) header.instance_name = options_.instance_name;
  std::string content = format::EncodeSealedContent(header, ticks);
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
