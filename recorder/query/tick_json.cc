// TickJson: the v2 tick message object.
#include "query/tick_json.h"

#include <optional>
#include <string_view>

namespace ibr::query {
namespace {


inline void Num(std::string& out, std::string_view key, const std::optional<double>& v) {
  if (!v) return;
  out.append(key);
  AppendDouble(out, *v);
}

inline void Bool(std::string& out, std::string_view key, const std::optional<bool>& v) {
  if (!v) return;
  out.append(key);
  out.append(*v ? "true" : "false");
}

}  // namespace

void TickJsonWriter::Append(std::string& out, const Tick& t) {
  out.append(R"({"type":"tick","stream_id":)");
  AppendJsonString(out, t.stream_id);
  out.append(R"(,"timestamp":")");
  timestamp_.Append(out, t.timestamp_us);
  out.append(R"(","data":{"contract_id":)");
  AppendUint(out, t.contract_id);
  out.append(R"(,"tick_type":")");
  out.append(TickTypeName(t.tick_type));
  out.push_back('"');
  Num(out, R"(,"price":)", t.price);
  Num(out, R"(,"size":)", t.size);
  Num(out, R"(,"bid_price":)", t.bid_price);
  Num(out, R"(,"bid_size":)", t.bid_size);
  Num(out, R"(,"ask_price":)", t.ask_price);
  Num(out, R"(,"ask_size":)", t.ask_size);
  Num(out, R"(,"mid_price":)", t.mid_price);
  if (t.exchange) {
    out.append(R"(,"exchange":)");
    AppendJsonString(out, *t.exchange);
  }
  if (!t.conditions.empty()) {
    out.append(R"(,"conditions":[)");
    for (std::size_t i = 0; i < t.conditions.size(); ++i) {
      if (i != 0) out.push_back(',');
      AppendJsonString(out, t.conditions[i]);
    }
    out.push_back(']');
  }
  Bool(out, R"(,"past_limit":)", t.past_limit);
  Bool(out, R"(,"unreported":)", t.unreported);
  Bool(out, R"(,"bid_past_low":)", t.bid_past_low);
  Bool(out, R"(,"ask_past_high":)", t.ask_past_high);
  if (t.sequence) {
    out.append(R"(,"sequence":)");
    AppendUint(out, *t.sequence);
  }
  if (t.unix_time) {
    out.append(R"(,"unix_time":)");
    AppendInt(out, *t.unix_time);
  }
  out.push_back('}');
  if (options_.historical) out.append(R"(,"metadata":{"historical":true})");
  out.push_back('}');
}

}  // namespace ibr::query
