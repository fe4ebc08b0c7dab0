// libFuzzer target: V2Decoder::Decode on arbitrary bytes. Besides crashes and
// ASan/UBSan findings it checks that the padded and copying paths agree and
// that every accepted tick is valid (id, time range, finite required fields).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>

#include "ingest/v2_decoder.h"

namespace {

using ibr::ingest::DecodeResult;
using ibr::ingest::kLinePadding;

constexpr ibr::TimeUs kNow = 1754006400LL * 1000000;  // 2025-08-01T00:00:00Z

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

bool Finite(const std::optional<double>& v) { return v && std::isfinite(*v); }

void CheckTick(const ibr::Tick& t) {
  Check(t.contract_id != 0);
  Check(t.timestamp_us >= 946684800LL * 1000000 && t.timestamp_us <= kNow + 86400LL * 1000000);
  switch (t.tick_type) {
    case ibr::TickType::kBidAsk:
      Check(Finite(t.bid_price) && Finite(t.bid_size) && Finite(t.ask_price) && Finite(t.ask_size));
      break;
    case ibr::TickType::kLast:
    case ibr::TickType::kAllLast:
      Check(Finite(t.price) && Finite(t.size));
      break;
    case ibr::TickType::kMidPoint:
      Check(Finite(t.mid_price));
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static ibr::ingest::V2Decoder decoder;
  static DecodeResult copied, padded;
  std::string_view line(reinterpret_cast<const char*>(data), size);
  decoder.Decode(line, kNow, false, copied);

  // Same bytes through the no-copy path, in an exactly sized buffer so ASan
  // sees any read past the promised padding.
  std::unique_ptr<char[]> buf(new char[size + kLinePadding]);
  if (size > 0) std::memcpy(buf.get(), data, size);
  std::memset(buf.get() + size, 0x5A, kLinePadding);
  decoder.Decode(std::string_view(buf.get(), size), kNow, true, padded);

  Check(copied.kind == padded.kind);
  switch (copied.kind) {
    case DecodeResult::Kind::kTick:
      Check(copied.tick == padded.tick);
      CheckTick(copied.tick);
      break;
    case DecodeResult::Kind::kReject:
      Check(copied.reason == padded.reason && copied.detail == padded.detail);
      Check(!copied.detail.empty());
      break;
    case DecodeResult::Kind::kLifecycle:
    {
      // The decoder skips a leading UTF-8 byte order mark: the raw event is the line after it.
      std::string_view raw = line;
      if (raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
      Check(copied.lifecycle.raw == raw && padded.lifecycle.raw == raw);
    }
      Check(copied.lifecycle.code == padded.lifecycle.code);
      break;
    case DecodeResult::Kind::kHeartbeat:
      break;
  }
  return 0;
}
