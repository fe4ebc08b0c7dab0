// TestStore: a throwaway storage root with a read-write catalog, and tick
// files written the way the recorder writes them (open .pb with a CRC per
// message, sealed .pb.lz4), each with its catalog row. Test-only; one thread.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/file_system.h"
#include "format/file_header.h"
#include "format/frame.h"
#include "format/lz4_frame.h"
#include "format/tick_codec.h"
#include "format/tick_file.h"
#include "storage/layout.h"

namespace ibr::query::testing {

constexpr std::uint32_t kContract = 265598;

class TestStore {
 public:
  TestStore() : clock_(1741615200'000000) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "ibr-query-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
    auto cat = catalog::Catalog::Open(storage::CatalogPath(root_), catalog::Catalog::Mode::kReadWrite, clock_);
    EXPECT_TRUE(cat.ok()) << cat.status().ToString();
    if (cat.ok()) writer_ = std::move(cat).value();
  }
  ~TestStore() {
    writer_.reset();
    std::filesystem::remove_all(root_);
  }

  const std::string& root() const { return root_; }
  const Clock& clock() const { return clock_; }
  catalog::Catalog& writer() { return *writer_; }

  std::unique_ptr<catalog::Catalog> OpenReader() {
    auto cat = catalog::Catalog::Open(storage::CatalogPath(root_), catalog::Catalog::Mode::kReadOnly, clock_);
    EXPECT_TRUE(cat.ok()) << cat.status().ToString();
    return cat.ok() ? std::move(cat).value() : nullptr;
  }

  static std::string OpenFileBytes(const format::FileHeaderInfo& h, const std::vector<Tick>& ticks) {
    std::string bytes;
    format::AppendFrame(bytes, format::EncodeFileHeader(h));
    std::string body;
    for (const Tick& t : ticks) {
      body.clear();
      format::EncodeTickMessage(t, format::Checksum::kCrc32c, body);
      format::AppendFrame(bytes, body);
    }
    return bytes;
  }

  // A sealed file's bytes: `ticks` in the order given, the header's start/end
  // from the first and last tick.
  static std::string SealedFileBytes(format::FileHeaderInfo h, const std::vector<Tick>& ticks) {
    h.compression = "lz4";
    h.message_count = ticks.size();
    if (!ticks.empty()) {
      h.start_time = ticks.front().timestamp_us;
      h.end_time = ticks.back().timestamp_us;
    }
    auto lz4 = format::Lz4CompressFrame(format::EncodeSealedContent(h, ticks), 0);
    EXPECT_TRUE(lz4.ok());
    return lz4.ok() ? *lz4 : std::string();
  }

  // Writes the file of (tt, hour, part) holding `ticks` (+ `tail` bytes, for
  // torn writes) and its catalog row. The row names the file as it is on disk
  // unless `row_says_open` (a row read before the file was sealed).
  catalog::TickFileRow Write(TickType tt, TimeUs hour, int part, const std::vector<Tick>& ticks, bool sealed,
                             const std::string& tail = "", bool row_says_open = false) {
    format::FileHeaderInfo h;
    h.contract_id = kContract;
    h.tick_type = tt;
    h.hour_bucket = hour;
    h.part = static_cast<std::uint32_t>(part);
    h.start_time = h.end_time = hour;
    std::string bytes = (sealed ? SealedFileBytes(h, ticks) : OpenFileBytes(h, ticks)) + tail;
    std::string rel = storage::TickFileRelPath(kContract, tt, hour, part, sealed);
    std::string abs = storage::JoinPath(root_, rel);
    auto& fs = PosixFileSystem::Instance();
    EXPECT_TRUE(fs.CreateDirs(DirName(abs)).ok());
    EXPECT_TRUE(fs.WriteFileAtomic(abs, bytes).ok());

    catalog::TickFileRow row;
    row.contract_id = kContract;
    row.tick_type = tt;
    row.hour_bucket = hour;
    row.part = part;
    row.part_reason = part == 1 ? catalog::PartReason::kFirst : catalog::PartReason::kLate;
    const bool says_sealed = sealed && !row_says_open;
    row.file_path = storage::TickFileRelPath(kContract, tt, hour, part, says_sealed);
    row.status = says_sealed ? catalog::FileStatus::kSealed : catalog::FileStatus::kOpen;
    row.compression = says_sealed ? "lz4" : "none";
    row.start_time = ticks.empty() ? hour : ticks.front().timestamp_us;
    row.end_time = ticks.empty() ? hour : ticks.back().timestamp_us;
    row.message_count = static_cast<std::int64_t>(ticks.size());
    row.file_size_bytes = static_cast<std::int64_t>(bytes.size());
    auto id = writer_->UpsertTickFile(row);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return row;
  }

 private:
  ManualClock clock_;
  std::string root_;
  std::unique_ptr<catalog::Catalog> writer_;
};

}  // namespace ibr::query::testing
