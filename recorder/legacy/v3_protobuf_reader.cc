// V3ProtobufReader: CodedInputStream over each frame, unknown fields skipped.
#include "legacy/v3_protobuf_reader.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <bit>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "legacy/legacy_frames.h"
#include "legacy/v3_record.h"

namespace ibr::legacy {
namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::internal::WireFormatLite;

constexpr const char* kV3DoubleNames[] = {"p", "s", "bp", "bs", "ap", "as", "mp"};  // fields 10..16
constexpr const char* kV3BoolNames[] = {"bpl", "aph", "upt"};                       // fields 20..22

// Parses one TickMessage into the flat v3 object; false with *why on malformed bytes.
bool ParseV3TickMessage(std::string_view body, nlohmann::json& v3, std::string* why) {
  v3 = {{"ts", 0}, {"st", 0}, {"cid", 0}, {"tt", ""}, {"rid", 0}};
  CodedInputStream in(reinterpret_cast<const std::uint8_t*>(body.data()), static_cast<int>(body.size()));
  while (true) {
    const std::uint32_t tag = in.ReadTag();
    if (tag == 0) break;
    const int field = static_cast<int>(WireFormatLite::GetTagFieldNumber(tag));
    const auto wire_type = WireFormatLite::GetTagWireType(tag);
    std::uint64_t v = 0;
    const bool varint_field = (field >= 1 && field <= 3) || field == 5 || (field >= 20 && field <= 22);
    if (varint_field && wire_type == WireFormatLite::WIRETYPE_VARINT) {
      if (!in.ReadVarint64(&v)) return *why = "bad varint", false;
      switch (field) {
        case 1: v3["ts"] = static_cast<std::int64_t>(v); break;
        case 2: v3["st"] = static_cast<std::int64_t>(v); break;
        case 3: v3["cid"] = static_cast<std::int32_t>(static_cast<std::uint32_t>(v)); break;
        case 5: v3["rid"] = static_cast<std::int32_t>(static_cast<std::uint32_t>(v)); break;
        default: v3[kV3BoolNames[field - 20]] = (v != 0); break;
      }
    } else if (field == 4 && wire_type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      std::string s;
      if (!WireFormatLite::ReadString(&in, &s)) return *why = "bad string (tt)", false;
      v3["tt"] = std::move(s);
    } else if (field >= 10 && field <= 16 && wire_type == WireFormatLite::WIRETYPE_FIXED64) {
      if (!in.ReadLittleEndian64(&v)) return *why = "bad double", false;
      const double d = std::bit_cast<double>(v);
      if (!std::isfinite(d)) return *why = std::string(kV3DoubleNames[field - 10]) + " is not finite", false;
      v3[kV3DoubleNames[field - 10]] = d;
    } else if (!WireFormatLite::SkipField(&in, tag)) {  // unknown field, or a known one of another wire type
      return *why = "bad field " + std::to_string(field), false;
    }
  }
  if (!in.ConsumedEntireMessage()) return *why = "bad tag", false;
  return true;
}

}  // namespace

void ReadV3ProtobufFile(std::string_view content, const RecordFn& on_record) {
  nlohmann::json v3;
  SplitLegacyFrames(
      content, LengthOrder::kBigEndian,
      [&](LegacyRecord& r) {
        const std::string_view body = r.input;
        const std::uint64_t index = r.index;
        std::string why;
        if (!ParseV3TickMessage(body, v3, &why)) {
          r.skipped = true;
          r.reason = why.find("not finite") != std::string::npos ? "not_finite" : "bad_protobuf";
          r.detail = "frame " + std::to_string(index) + " (" + std::to_string(body.size()) +
                     " bytes) is not an ib_stream.v3.TickMessage: " + why;
          on_record(r);
          return;
        }
        r.line = V3ObjectToV2Line(v3);
        on_record(r);
      },
      on_record);
}

}  // namespace ibr::legacy
