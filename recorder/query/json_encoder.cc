// JSON encoder: the seed's response object, streamed.
#include "common/time_text.h"
#include "query/tick_encoder.h"
#include "query/tick_json.h"
#include "query/value_text.h"

namespace ibr::query {
namespace {

class JsonEncoder final : public TickEncoder {
 public:
  JsonEncoder(OutputBuffer& out, const EncoderOptions& options)
      : TickEncoder(out), json_(TickJsonOptions{options.historical}) {}

  Status Begin(const QueryDescription& q) override {
    std::string& b = out_.bytes();
    b.append(R"({"contract_id":)");
    AppendUint(b, q.contract_id);
    b.append(R"(,"tick_types":[)");
    for (std::size_t i = 0; i < q.tick_types.size(); ++i) {
      if (i != 0) b.push_back(',');
      b.push_back('"');
      b.append(TickTypeName(q.tick_types[i]));
      b.push_back('"');
    }
    b.append(R"(],"start_time":")");
    AppendIsoTimestamp(b, q.start_time);
    b.append(R"(","end_time":")");
    AppendIsoTimestamp(b, q.end_time);
    b.append(R"(","messages":[)");
    return out_.MaybeFlush();
  }

  Status OnTick(const Tick& tick, std::string_view) override {
    std::string& b = out_.bytes();
    if (count_ != 0) b.push_back(',');
    json_.Append(b, tick);
    ++count_;
    return out_.MaybeFlush();
  }

  Status Finish() override {
    std::string& b = out_.bytes();
    b.append(R"(],"count":)");
    AppendUint(b, count_);
    b.append("}\n");
    return out_.Flush();
  }

 private:
  TickJsonWriter json_;
};

}  // namespace

std::unique_ptr<TickEncoder> MakeJsonEncoder(OutputBuffer& out, const EncoderOptions& options) {
  return std::make_unique<JsonEncoder>(out, options);
}

}  // namespace ibr::query
