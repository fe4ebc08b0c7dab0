// Protobuf encoder: length-prefixed StreamMessage frames, stored bodies passed through.
#include "format/frame.h"
#include "format/tick_codec.h"
#include "query/tick_encoder.h"

namespace ibr::query {
namespace {

class ProtobufEncoder final : public TickEncoder {
 public:
  explicit ProtobufEncoder(OutputBuffer& out) : TickEncoder(out) {}

  bool WantsRawBodies() const override { return true; }
  bool NeedsFullTicks() const override { return false; }

  Status Begin(const QueryDescription&) override { return out_.status(); }

  Status OnTick(const Tick& tick, std::string_view raw_body) override {
    if (raw_body.empty()) {  // a source without stored bodies: encode (no CRC)
      scratch_.clear();
      format::EncodeTickMessage(tick, format::Checksum::kNone, scratch_);
      raw_body = scratch_;
    }
    format::AppendFrame(out_.bytes(), raw_body);
    ++count_;
    return out_.MaybeFlush();
  }

  Status Finish() override { return out_.Flush(); }

 private:
  std::string scratch_;
};

}  // namespace

std::unique_ptr<TickEncoder> MakeProtobufEncoder(OutputBuffer& out, const EncoderOptions&) {
  return std::make_unique<ProtobufEncoder>(out);
}

}  // namespace ibr::query
