// NDJSON encoder: one TickJson object per line.
#include "query/tick_encoder.h"
#include "query/tick_json.h"

namespace ibr::query {
namespace {

class NdjsonEncoder final : public TickEncoder {
 public:
  NdjsonEncoder(OutputBuffer& out, const EncoderOptions& options)
      : TickEncoder(out), json_(TickJsonOptions{options.historical}) {}

  Status Begin(const QueryDescription&) override { return out_.status(); }

  Status OnTick(const Tick& tick, std::string_view) override {
    std::string& b = out_.bytes();
    json_.Append(b, tick);
    b.push_back('\n');
    ++count_;
    return out_.MaybeFlush();
  }

  Status Finish() override { return out_.Flush(); }

 private:
  TickJsonWriter json_;
};

}  // namespace

std::unique_ptr<TickEncoder> MakeNdjsonEncoder(OutputBuffer& out, const EncoderOptions& options) {
  return std::make_unique<NdjsonEncoder>(out, options);
}

}  // namespace ibr::query
