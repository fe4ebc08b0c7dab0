// TickIdentity: a fixed little-endian byte layout of the identity fields, hashed.
#include "legacy/tick_identity.h"

#include <xxhash.h>

#include <array>
#include <bit>
#include <string>

namespace ibr::legacy {
namespace {

void PutU64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void PutOptionalDouble(std::string& out, const std::optional<double>& d) {
  out.push_back(d ? 1 : 0);
  PutU64(out, d ? std::bit_cast<std::uint64_t>(*d) : 0);
}

}  // namespace

TickIdentity IdentityOf(const Tick& t) {
  thread_local std::string buf;  // reused: no allocation per tick once warm
  buf.clear();
  PutU64(buf, t.contract_id);
  buf.push_back(static_cast<char>(t.tick_type));
  PutU64(buf, static_cast<std::uint64_t>(t.timestamp_us));
  PutU64(buf, t.stream_id.size());
  buf.append(t.stream_id);
  buf.push_back(t.sequence ? 1 : 0);
  PutU64(buf, t.sequence.value_or(0));
  for (const auto* d : {&t.price, &t.size, &t.bid_price, &t.bid_size, &t.ask_price, &t.ask_size, &t.mid_price}) {
    PutOptionalDouble(buf, *d);
  }
  const XXH128_hash_t h = XXH3_128bits(buf.data(), buf.size());
  return {h.high64, h.low64};
}

}  // namespace ibr::legacy
