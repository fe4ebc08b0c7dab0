// V2ProtobufReader: frames -> generated StreamMessage (wire-compatible with
// ib-stream's tick_stream.proto) -> v2 JSON text.
#include "legacy/v2_protobuf_reader.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "common/clock.h"
#include "common/json_text.h"
#include "common/time_text.h"
#include "legacy/legacy_frames.h"
#include "tick_stream.pb.h"

namespace ibr::legacy {
namespace {

bool AllDigits(const std::string& s) {
  if (s.empty() || s.size() > 19) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Fills `data` from TickData; false (and *bad names the field) when a value is not finite.
// contract_id 0 / tick_type "" (proto3: the same as unset) are left to the
// metadata when it has them, else kept (the decoder then names them
// contract_id_zero / unknown_tick_type).
bool TickDataToJson(const ib_stream::TickData& t, const ib_stream::StreamMessage& m, nlohmann::json& data,
                    std::string* bad) {
  if (t.contract_id() != 0 || !m.metadata().contains("contract_id")) data["contract_id"] = t.contract_id();
  if (!t.tick_type().empty() || !m.metadata().contains("tick_type")) data["tick_type"] = t.tick_type();
  struct Num {
    const char* name;
    bool has;
    double value;
  };
  const Num nums[] = {
      {"price", t.has_price(), t.price()},           {"size", t.has_size(), t.size()},
      {"bid_price", t.has_bid_price(), t.bid_price()}, {"bid_size", t.has_bid_size(), t.bid_size()},
      {"ask_price", t.has_ask_price(), t.ask_price()}, {"ask_size", t.has_ask_size(), t.ask_size()},
      {"mid_price", t.has_mid_price(), t.mid_price()},
  };
  for (const Num& n : nums) {
    if (!n.has) continue;
    if (!std::isfinite(n.value)) {
      *bad = n.name;
      return false;
    }
    data[n.name] = n.value;
  }
  if (t.has_exchange()) data["exchange"] = t.exchange();
  if (t.conditions_size() > 0) {
    nlohmann::json conds = nlohmann::json::array();
    for (const auto& c : t.conditions()) conds.push_back(c);
    data["conditions"] = std::move(conds);
  }
  if (t.has_sequence()) data["sequence"] = t.sequence();
  if (t.has_past_limit()) data["past_limit"] = t.past_limit();
  if (t.has_unreported()) data["unreported"] = t.unreported();
  if (t.has_bid_past_low()) data["bid_past_low"] = t.bid_past_low();
  if (t.has_ask_past_high()) data["ask_past_high"] = t.ask_past_high();
  if (t.has_unix_time()) data["unix_time"] = t.unix_time();
  return true;
}

}  // namespace

void ReadV2ProtobufFile(std::string_view content, const RecordFn& on_record) {
  ib_stream::StreamMessage m;
  SplitLegacyFrames(
      content, LengthOrder::kLittleEndian,
      [&](LegacyRecord& r) {
        const std::string_view body = r.input;
        const std::uint64_t index = r.index;
        m.Clear();
        if (!m.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
          r.skipped = true;
          r.reason = "bad_protobuf";
          r.detail = "frame " + std::to_string(index) + " (" + std::to_string(body.size()) +
                     " bytes) is not an ib_stream.StreamMessage";
          on_record(r);
          return;
        }
        nlohmann::json msg = {{"type", m.type()}};
        if (!m.stream_id().empty()) msg["stream_id"] = m.stream_id();
        if (m.has_timestamp()) {
          const std::int64_t us = m.timestamp().seconds() * kUsPerSecond + m.timestamp().nanos() / 1000;
          msg["timestamp"] = FormatIsoTimestamp(us);
        }
        nlohmann::json data = nlohmann::json::object();
        switch (m.message_data_case()) {
          case ib_stream::StreamMessage::kTickData: {
            std::string bad;
            if (!TickDataToJson(m.tick_data(), m, data, &bad)) {
              r.skipped = true;
              r.reason = "not_finite";
              r.detail = bad + " is not finite";
              on_record(r);
              return;
            }
            break;
          }
          case ib_stream::StreamMessage::kErrorData:
            data = {{"code", m.error_data().code()},
                    {"message", m.error_data().message()},
                    {"recoverable", m.error_data().recoverable()}};
            break;
          case ib_stream::StreamMessage::kCompleteData:
            data = {{"reason", m.complete_data().reason()}, {"total_ticks", m.complete_data().total_ticks()}};
            break;
          case ib_stream::StreamMessage::kInfoData:
            data = {{"status", m.info_data().status()}};
            break;
          case ib_stream::StreamMessage::MESSAGE_DATA_NOT_SET:
            break;
        }
        if (m.message_data_case() != ib_stream::StreamMessage::MESSAGE_DATA_NOT_SET) msg["data"] = std::move(data);
        if (!m.metadata().empty()) {
          nlohmann::json meta = nlohmann::json::object();
          for (const auto& [k, v] : m.metadata()) {
            if (k == "sequence" && AllDigits(v)) {
              meta[k] = std::stoull(v);
            } else {
              meta[k] = v;
            }
          }
          msg["metadata"] = std::move(meta);
        }
        r.line = SafeDump(msg);
        on_record(r);
      },
      on_record);
}

}  // namespace ibr::legacy
