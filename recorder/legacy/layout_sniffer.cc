// LayoutSniffer: content tests for JSON shape and protobuf length byte order.
#include "legacy/layout_sniffer.h"

#include "legacy/json_record_reader.h"
#include "legacy/legacy_frames.h"

namespace ibr::legacy {
namespace {

struct FramingFit {
  bool clean = false;         // every byte belongs to a whole frame
  std::size_t framed = 0;     // bytes in whole frames before the first bad one
};

FramingFit Fit(std::string_view content, LengthOrder order) {
  FramingFit fit;
  fit.clean = true;
  SplitLegacyFrames(
      content, order, [&](LegacyRecord& frame) { fit.framed += 4 + frame.input.size(); },
      [&](const LegacyRecord&) { fit.clean = false; });
  return fit;
}

}  // namespace

LegacyLayout SniffLayout(std::string_view content, LegacyLayout hint) {
  if (hint == LegacyLayout::kV2Json || hint == LegacyLayout::kV3Json) {
    return FirstJsonRecordIsV3(content) ? LegacyLayout::kV3Json : LegacyLayout::kV2Json;
  }
  const FramingFit le = Fit(content, LengthOrder::kLittleEndian);
  const FramingFit be = Fit(content, LengthOrder::kBigEndian);
  if (le.clean != be.clean) return le.clean ? LegacyLayout::kV2Protobuf : LegacyLayout::kV3Protobuf;
  if (le.framed != be.framed) return le.framed > be.framed ? LegacyLayout::kV2Protobuf : LegacyLayout::kV3Protobuf;
  return hint;
}

}  // namespace ibr::legacy
