// FileHeader <-> bytes through protobuf's generated class (not a hot path, and
// so byte-for-byte what any protobuf implementation writes and reads).
#include "format/file_header.h"

#include "format/proto_timestamp.h"
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
  ib_stream::FileHeader m;
  if (!m.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return Status::Corruption("file header: not a FileHeader message (the file is damaged or not a tick file)");
  }
  FileHeaderInfo h;
  h.version = m.version();
  if (h.version == 0) return Status::Corruption("file header: no format version (not a tick file)");
  if (h.version > kFormatVersion) {
    return Status::FailedPrecondition("file header: format version " + std::to_string(h.version) +
                                      " is newer than this ib-recorder reads (" +
                                      std::to_string(kFormatVersion) +
                                      "); upgrade ib-recorder to read this file");
  }
  const auto start = JoinTimestamp(m.start_time().seconds(), m.start_time().nanos());
  const auto end = JoinTimestamp(m.end_time().seconds(), m.end_time().nanos());
  if (!start || !end) return Status::Corruption("file header: start or end time out of range");
  const auto tick_type = ParseTickTypeName(m.tick_type());
  if (!tick_type) return Status::Corruption("file header: unknown tick_type '" + m.tick_type() + "'");
  h.start_time = *start;
  h.end_time = *end;
  h.contract_id = m.contract_id();
  h.tick_type = *tick_type;
  h.message_count = m.message_count();
  h.compression = m.compression();
  h.hour_bucket = m.hour_bucket_us();
  h.part = m.part();
  h.instance_name = m.instance_name();
  return h;
}

}  // namespace ibr::format
