// FileHeader <-> bytes. Written through protobuf's generated class (byte for
// byte what protobuf writes); read by hand, so that damaged bytes are a
// Corruption value and never a libprotobuf log line on stderr.
#include "format/file_header.h"

#include "format/proto_timestamp.h"
#include "format/wire.h"
#include "tick_stream.pb.h"

namespace ibr::format {
namespace {

void SetTimestamp(google::protobuf::Timestamp* ts, TimeUs t) {
  std::int64_t seconds;
  std::int32_t nanos;
  SplitTimeUs(t, &seconds, &nanos);
  ts->set_seconds(seconds);
  ts->set_nanos(nanos);
}

}  // namespace

std::string EncodeFileHeader(const FileHeaderInfo& h) {
  ib_stream::FileHeader m;
  m.set_version(h.version);
  SetTimestamp(m.mutable_start_time(), h.start_time);
  SetTimestamp(m.mutable_end_time(), h.end_time);
  m.set_contract_id(h.contract_id);
  m.set_tick_type(std::string(TickTypeName(h.tick_type)));
  m.set_message_count(h.message_count);
  m.set_compression(h.compression);
  m.set_hour_bucket_us(h.hour_bucket);
  m.set_part(h.part);
  m.set_instance_name(h.instance_name);
  return m.SerializeAsString();
}

Result<FileHeaderInfo> DecodeFileHeader(std::string_view body) {
  const Status not_a_header = Status::Corruption(
      "file header: not a FileHeader message (the file is damaged or not a tick file)");
  FileHeaderInfo h;  // absent fields read as protobuf's defaults, not ours
  h.version = 0;
  h.part = 0;
  h.compression.clear();
  std::int64_t start_s = 0, end_s = 0;
  std::int32_t start_ns = 0, end_ns = 0;
  std::string_view tick_type;
  wire::WireReader r(body);
  while (!r.done()) {
    std::uint32_t field, wt;
    if (!r.ReadTag(&field, &wt)) return not_a_header;
    std::uint64_t v;
    std::string_view s;
    if (wt == wire::kVarint && (field == 1 || field == 4 || field == 6 || field == 8 || field == 9)) {
      if (!r.ReadVarint(&v)) return not_a_header;
      switch (field) {
        case 1: h.version = static_cast<std::uint32_t>(v); break;
        case 4: h.contract_id = static_cast<std::uint32_t>(v); break;
        case 6: h.message_count = v; break;
        case 8: h.hour_bucket = static_cast<std::int64_t>(v); break;
        default: h.part = static_cast<std::uint32_t>(v); break;
      }
      continue;
    }
    if (wt == wire::kLengthDelimited && (field == 2 || field == 3 || field == 5 || field == 7 ||
                                         field == 10)) {
      if (!r.ReadLengthDelimited(&s)) return not_a_header;
      bool ok = true;
      switch (field) {
        case 2: ok = ParseTimestampMessage(s, &start_s, &start_ns); break;
        case 3: ok = ParseTimestampMessage(s, &end_s, &end_ns); break;
        case 5: tick_type = s; break;
        case 7: h.compression.assign(s); break;
        default: h.instance_name.assign(s); break;
      }
      if (!ok) return not_a_header;
      continue;
    }
    if (!r.Skip(field, wt)) return not_a_header;
  }
  if (h.version == 0) return Status::Corruption("file header: no format version (not a tick file)");
  if (h.version > kFormatVersion) {
    return Status::FailedPrecondition("file header: format version " + std::to_string(h.version) +
                                      " is newer than this ib-recorder reads (" +
                                      std::to_string(kFormatVersion) +
                                      "); upgrade ib-recorder to read this file");
  }
  const auto start = JoinTimestamp(start_s, start_ns);
  const auto end = JoinTimestamp(end_s, end_ns);
  if (!start || !end) return Status::Corruption("file header: start or end time out of range");
  const auto type = ParseTickTypeName(tick_type);
  if (!type) {
    return Status::Corruption("file header: unknown tick_type '" +
                              std::string(tick_type.substr(0, 32)) + "'");
  }
  h.start_time = *start;
  h.end_time = *end;
  h.tick_type = *type;
  return h;
}

}  // namespace ibr::format
