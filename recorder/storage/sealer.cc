// Sealer: open hour file -> sealed LZ4 file, crash-safely.
#include "storage/sealer.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

#include "common/time_text.h"
#include "format/seekable_frame_encoder.h"
#include "format/frame.h"
#include "format/tick_codec.h"
#include "format/tick_file.h"
#include "format/tick_file_cursor.h"
#include "storage/damage_quarantine.h"
#include "storage/file_stats.h"
#include "storage/layout.h"

namespace ibr::storage {

namespace {

constexpr std::size_t kReadChunkBytes = 1 << 20;   // open-file bytes read at once
constexpr std::size_t kWriteChunkBytes = 256 * 1024;  // compressed bytes written at once

std::uint32_t LoadBigEndian32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) | std::uint32_t{u[3]};
}

// Reads an open file's frames front to back through one reused buffer, with
// TickFileCursor's rules for open files: a whole, decodable header, then tick
// frames with a valid trailing CRC; the first frame that is not ends the
// readable part (damage_at()).
class OpenFileScanner {
 public:
  OpenFileScanner(ReadableFile& file, std::uint64_t end) : file_(file), end_(end) {}

  Status ReadHeader(format::FileHeaderInfo* header) {
    std::uint32_t len = 0;
    const char* what = nullptr;
    if (!Fill(4)) {
      what = Avail() == 0 ? "end" : "torn tail";
    } else if ((len = LoadBigEndian32(Data())) == 0) {
      what = "zero-length frame";
    } else if (len > format::kMaxFrameBytes) {
      what = "oversized frame";
    } else if (!Fill(4 + std::size_t{len})) {
      what = "torn tail";
    }
    IBR_RETURN_IF_ERROR(status_);
    if (what != nullptr) {
      return Status::Corruption(std::string("open tick file: no whole header frame (") + what + " at byte 0)");
    }
    auto h = format::DecodeFileHeader(std::string_view(Data() + 4, len));
    if (!h.ok()) return h.status();
    *header = std::move(h).value();
    Consume(4 + std::size_t{len});
    header_bytes_ = 4 + std::uint64_t{len};
    return Status::Ok();
  }

  // Next whole tick frame, decoded (fully or its key) into *tick; *offset is
  // where its frame starts, *body its body without the CRC field (valid until
  // the next call). False at the end, at damage, or on a read error (status()).
  bool Next(format::TickDecode decode, Tick* tick, std::uint64_t* offset, std::string_view* body) {
    if (stopped_) return false;
    *offset = base_ + pos_;
    std::uint32_t len = 0;
    std::string what;
    if (!Fill(4)) {
      if (Avail() == 0 || !status_.ok()) return Stop();
      what = "torn tail";
    } else if ((len = LoadBigEndian32(Data())) == 0) {
      what = "zero-length frame";
    } else if (len > format::kMaxFrameBytes) {
      what = "oversized frame";
    } else if (!Fill(4 + std::size_t{len})) {
      if (!status_.ok()) return Stop();
      what = "torn tail";
    } else {
      const std::string_view frame_body(Data() + 4, len);
      std::size_t payload = 0;
      Status s = decode == format::TickDecode::kFull
                     ? format::DecodeTickMessageInto(frame_body, format::ChecksumPolicy::kRequire, *tick, &payload)
                     : format::DecodeTickKeyInto(frame_body, format::ChecksumPolicy::kRequire, *tick, &payload);
      if (s.ok()) {
        *body = frame_body.substr(0, payload);
        Consume(4 + std::size_t{len});
        return true;
      }
      what = s.message();
    }
    damage_at_ = *offset;
    damage_what_ = what;
    return Stop();
  }

  const Status& status() const { return status_; }
  std::uint64_t header_bytes() const { return header_bytes_; }
  // Where the readable part ends (the file's end when undamaged).
  std::uint64_t damage_at() const { return damage_at_; }
  const std::string& damage_what() const { return damage_what_; }

 private:
  std::size_t Avail() const { return static_cast<std::size_t>(std::min<std::uint64_t>(end_ - base_, len_) - pos_); }
  const char* Data() const { return buf_.data() + pos_; }
  void Consume(std::size_t n) { pos_ += n; }
  bool Stop() {
    stopped_ = true;
    return false;
  }
  // Makes n bytes from the current position available; false when the file
  // (up to end_) holds fewer, or on a read error.
  bool Fill(std::size_t n) {
    if (len_ - pos_ >= n) return true;
    if (base_ + pos_ + n > end_) return false;
    if (pos_ > 0) {
      std::memmove(buf_.data(), buf_.data() + pos_, len_ - pos_);
      base_ += pos_;
      len_ -= pos_;
      pos_ = 0;
    }
    if (buf_.size() < std::max(n, kReadChunkBytes)) buf_.resize(std::max(n, kReadChunkBytes));
    const std::uint64_t left = end_ - (base_ + len_);
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf_.size() - len_, left));
    std::size_t got = 0;
    status_ = file_.ReadAt(base_ + len_, want, buf_.data() + len_, &got);
    if (!status_.ok()) return false;
    len_ += got;
    return len_ >= n;
  }

  ReadableFile& file_;
  std::uint64_t end_;
  std::string buf_;
  std::size_t pos_ = 0, len_ = 0;  // buf_[pos_, len_) is unread
  std::uint64_t base_ = 0;         // file offset of buf_[0]
  Status status_ = Status::Ok();
  bool stopped_ = false;
  std::uint64_t header_bytes_ = 0;
  std::uint64_t damage_at_ = ~std::uint64_t{0};
  std::string damage_what_;
};

// A tick of an out-of-order open file, for sorting: 24 bytes.
struct SealKey {
  TimeUs timestamp_us;
  std::uint64_t arrival_seq;
  std::uint64_t offset_len;  // body offset in the open file << 25 | body length (<= 16 MiB)
};
constexpr int kLenBits = 25;

// Feeds content frames to the seekable LZ4 encoder and hands the compressed
// bytes to `out` as they come (about one segment at a time).
class ContentSink {
 public:
  ContentSink(format::SeekableFrameEncoder& enc, WritableFile& out) : enc_(enc), out_(out) {}
  Status AddHeader(std::string_view body) { return enc_.AddHeader(body); }
  Status AddTick(std::string_view body, TimeUs ts) {
    IBR_RETURN_IF_ERROR(enc_.AddTick(body, ts));
    return enc_.output().size() >= kWriteChunkBytes ? Drain() : Status::Ok();
  }
  Status Finish() {
    IBR_RETURN_IF_ERROR(enc_.Finish());
    return Drain();
  }

 private:
  Status Drain() {
    Status s = out_.Append(enc_.output());
    enc_.output().clear();
    return s;
  }

  format::SeekableFrameEncoder& enc_;
  WritableFile& out_;
};

}  // namespace

Result<std::uint64_t> Sealer::TakeOutDamagedFrames(const catalog::TickFileRow& open_row, std::string bytes) {
  const std::string abs = JoinPath(options_.root, open_row.file_path);
  auto contents = format::DecodeTickFile(bytes, format::TickFileKind::kOpen, false);
  if (!contents.ok()) return contents.status();
  std::string out;
  out.reserve(bytes.size());
  std::uint64_t from = 0, taken = 0;
  for (const auto& r : contents->skipped) {
    auto kept = QuarantineDamagedBytes(fs_, options_.root, open_row.file_path, r.offset,
                                       std::string_view(bytes).substr(r.offset, r.length));
    if (!kept.ok()) return kept.status();
    out.append(bytes, from, r.offset - from);
    from = r.offset + r.length;
    taken += r.length;
  }
  out.append(bytes, from, std::string::npos);
  IBR_RETURN_IF_ERROR(fs_.WriteFileAtomic(abs, out));
  return taken;
}

Result<SealResult> Sealer::Seal(const catalog::TickFileRow& open_row) { return SealOnce(open_row, true); }

Result<SealResult> Sealer::SealOnce(const catalog::TickFileRow& open_row, bool may_repair) {
  SealResult result;
  const std::string open_abs = JoinPath(options_.root, open_row.file_path);
  const std::string context = "sealing " + open_row.file_path;
  auto file = fs_.OpenRead(open_abs);
  if (!file.ok()) return file.status();
  const std::uint64_t file_size = (*file)->Size();

  // Pass 1: check every frame as a reader does (whole, CRC-valid, a tick),
  // decode it for the file's statistics into one reused Tick, and find where
  // the readable part ends and whether it is already in order. Nothing per tick is kept.
  format::FileHeaderInfo header;
  FileStats stats;
  std::uint64_t valid_end = file_size;
  std::uint64_t payload_bytes = 0;
  bool sorted = true;
  {
    OpenFileScanner scan(**file, file_size);
    Status h = scan.ReadHeader(&header);
    if (!h.ok()) return h.WithContext(context);
    Tick tick;
    std::uint64_t offset = 0;
    std::string_view body;
    TimeUs last_ts = 0;
    std::uint64_t last_seq = 0;
    while (scan.Next(format::TickDecode::kFull, &tick, &offset, &body)) {
      if (stats.count > 0 && (tick.timestamp_us < last_ts || (tick.timestamp_us == last_ts && tick.arrival_seq < last_seq))) {
        sorted = false;
      }
      last_ts = tick.timestamp_us;
      last_seq = tick.arrival_seq;
      stats.Add(tick);
      payload_bytes += 4 + body.size();
    }
    if (!scan.status().ok()) return scan.status().WithContext(context);
    if (scan.damage_at() != ~std::uint64_t{0}) valid_end = scan.damage_at();
    result.dropped_bytes = file_size - valid_end;
  }
  if (valid_end < file_size && may_repair) {
    // Only a torn tail may be left out. Damage with valid frames after it
    // (resynchronisation, FORMAT.md) must not cost those frames: its bytes go
    // to quarantine/, the file is written again without them, and sealed then.
    auto whole = fs_.ReadFile(open_abs);
    if (!whole.ok()) return whole.status().WithContext(context);
    if (format::FindNextTickFrame(*whole, valid_end + 1)) {
      file->reset();
      auto taken = TakeOutDamagedFrames(open_row, std::move(whole).value());
      if (!taken.ok()) return taken.status().WithContext(context);
      auto again = SealOnce(open_row, false);
      if (again.ok()) again->quarantined_bytes += *taken;
      return again;
    }
  }
  std::string day = FormatIsoDate(open_row.hour_bucket);
  if (stats.count == 0) {
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
  header.start_time = stats.start_time;
  header.end_time = stats.end_time;
  header.message_count = static_cast<std::uint64_t>(stats.count);
  header.compression = "lz4";
  header.hour_bucket = open_row.hour_bucket;
  header.part = static_cast<std::uint32_t>(open_row.part);
  if (header.instance_name.empty()) header.instance_name = options_.instance_name;
  const std::string header_body = format::EncodeFileHeader(header);

  // Pass 2: the sealed content, streamed into the LZ4 frame: the header, then
  // the stored bodies (without CRC) in (timestamp, arrival sequence) order,
  // ties in file order. An in-order file is read front to back again; an
  // out-of-order one is sorted by 24-byte keys and its bodies read by offset.
  // The compressed bytes go to a temp file as they come, which is then
  // published as FileSystem::WriteFileAtomic does (fsync, rename, fsync dir).
  format::SeekableFrameEncoder encoder;
  auto write_content = [&](WritableFile& out) -> Status {
    IBR_RETURN_IF_ERROR(encoder.Start(4 + header_body.size() + payload_bytes, options_.lz4_level));
    ContentSink sink(encoder, out);
    IBR_RETURN_IF_ERROR(sink.AddHeader(header_body));
    OpenFileScanner scan(**file, valid_end);
    format::FileHeaderInfo ignored;
    IBR_RETURN_IF_ERROR(scan.ReadHeader(&ignored));
    Tick tick;
    std::uint64_t offset = 0;
    std::string_view body;
    if (sorted) {
      while (scan.Next(format::TickDecode::kKey, &tick, &offset, &body)) {
        IBR_RETURN_IF_ERROR(sink.AddTick(body, tick.timestamp_us));
      }
    } else {
      std::vector<SealKey> keys;
      keys.reserve(static_cast<std::size_t>(stats.count));
      while (scan.Next(format::TickDecode::kKey, &tick, &offset, &body)) {
        keys.push_back({tick.timestamp_us, tick.arrival_seq, ((offset + 4) << kLenBits) | body.size()});
      }
      IBR_RETURN_IF_ERROR(scan.status());
      std::sort(keys.begin(), keys.end(), [](const SealKey& a, const SealKey& b) {
        if (a.timestamp_us != b.timestamp_us) return a.timestamp_us < b.timestamp_us;
        if (a.arrival_seq != b.arrival_seq) return a.arrival_seq < b.arrival_seq;
        return a.offset_len < b.offset_len;  // file order
      });
      // Bodies through a window of the file: out-of-order files are mostly in order.
      std::string window(kReadChunkBytes, '\0');
      std::uint64_t wbase = 0, wlen = 0;
      for (const SealKey& k : keys) {
        const std::uint64_t off = k.offset_len >> kLenBits;
        const std::size_t len = static_cast<std::size_t>(k.offset_len & ((std::uint64_t{1} << kLenBits) - 1));
        if (off < wbase || off + len > wbase + wlen) {
          if (window.size() < len) window.resize(len);
          std::size_t got = 0;
          IBR_RETURN_IF_ERROR(file.value()->ReadAt(off, window.size(), window.data(), &got));
          wbase = off;
          wlen = got;
          if (got < len) return Status::IoError("the open tick file shrank while it was being sealed");
        }
        IBR_RETURN_IF_ERROR(sink.AddTick(std::string_view(window.data() + (off - wbase), len), k.timestamp_us));
      }
    }
    IBR_RETURN_IF_ERROR(scan.status());
    return sink.Finish();
  };

  catalog::TickFileRow row = open_row;
  row.file_path = TickFileRelPath(open_row.contract_id, open_row.tick_type, open_row.hour_bucket, open_row.part, true);
  const std::string sealed_abs = JoinPath(options_.root, row.file_path);
  static std::atomic<std::uint64_t> tmp_counter{0};
  const std::string tmp = sealed_abs + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(tmp_counter++);
  std::uint64_t sealed_size = 0;
  {
    auto out = fs_.OpenTruncate(tmp);
    if (!out.ok()) return out.status();
    Status s = write_content(**out);
    if (s.ok()) s = (*out)->Sync();
    sealed_size = (*out)->Size();
    Status c = (*out)->Close();
    if (s.ok()) s = c;
    if (s.ok()) s = fs_.Rename(tmp, sealed_abs);
    if (!s.ok()) {
      fs_.Remove(tmp);
      return s.WithContext(context);
    }
    IBR_RETURN_IF_ERROR(fs_.SyncDir(DirName(sealed_abs)));
  }

  stats.FillRow(row);
  row.status = catalog::FileStatus::kSealed;
  row.compression = "lz4";
  row.file_size_bytes = static_cast<std::int64_t>(sealed_size);
  row.checksum = encoder.checksum();
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
