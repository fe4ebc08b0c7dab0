// FileHeader: the first frame of every tick file (seed 002), plus ib-recorder's
// additions (hour_bucket_us, part, instance_name). Open files carry
// start = end = hour bucket, message_count 0, compression "none"; a sealed
// file's header carries the true first/last tick time and count and "lz4".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "common/tick.h"

namespace ibr::format {

constexpr std::uint32_t kFormatVersion = 2;

struct FileHeaderInfo {
  std::uint32_t version = kFormatVersion;
  TimeUs start_time = 0;
  TimeUs end_time = 0;
  std::uint32_t contract_id = 0;
  TickType tick_type = TickType::kBidAsk;
  std::uint64_t message_count = 0;
  std::string compression = "none";
  TimeUs hour_bucket = 0;
  std::uint32_t part = 1;
  std::string instance_name;
  bool operator==(const FileHeaderInfo&) const = default;
};

std::string EncodeFileHeader(const FileHeaderInfo& h);  // body only, no length prefix
Result<FileHeaderInfo> DecodeFileHeader(std::string_view body);

}  // namespace ibr::format
