// V3Record: key-for-key mapping onto a v2 tick message.
#include "legacy/v3_record.h"

#include <cstdint>
#include <utility>

#include "common/clock.h"
#include "common/json_text.h"
#include "common/time_text.h"

namespace ibr::legacy {
namespace {

// 0001-01-01 .. 9999-12-31 in microseconds: what FormatIsoTimestamp can print.
constexpr std::int64_t kMinPrintableUs = -62135596800LL * 1'000'000;
constexpr std::int64_t kMaxPrintableUs = 253402300799LL * 1'000'000;

constexpr std::pair<const char*, const char*> kV3ToV2[] = {
    {"cid", "contract_id"}, {"tt", "tick_type"},    {"p", "price"},          {"s", "size"},
    {"bp", "bid_price"},    {"bs", "bid_size"},     {"ap", "ask_price"},     {"as", "ask_size"},
    {"mp", "mid_price"},    {"bpl", "bid_past_low"}, {"aph", "ask_past_high"}, {"upt", "unreported"},
};

}  // namespace

std::string V3ObjectToV2Line(const nlohmann::json& v3) {
  nlohmann::json msg = {{"type", "tick"}};
  if (auto st = v3.find("st"); st != v3.end() && !st->is_null()) {
    if (st->is_number_integer() && st->get<std::int64_t>() >= kMinPrintableUs &&
        st->get<std::int64_t>() <= kMaxPrintableUs) {
      msg["timestamp"] = FormatIsoTimestamp(st->get<std::int64_t>());
    } else {
      msg["timestamp"] = "st=" + st->dump();  // not a time: the decoder says bad_timestamp
    }
  }
  nlohmann::json data = nlohmann::json::object();
  for (const auto& [from, to] : kV3ToV2) {
    if (auto it = v3.find(from); it != v3.end()) data[to] = *it;
  }
  if (auto ts = v3.find("ts"); ts != v3.end() && ts->is_number_integer()) {
    const std::int64_t us = ts->get<std::int64_t>();
    if (us > 0 && us % kUsPerSecond == 0) data["unix_time"] = us / kUsPerSecond;
  }
  msg["data"] = std::move(data);
  return SafeDump(msg);
}

}  // namespace ibr::legacy
