// Upstream tick type spellings, contract id digits and stream id forms.
#include "ingest/upstream_names.h"

namespace ibr::ingest {

std::optional<TickType> ParseUpstreamTickType(std::string_view s) {
  char norm[16];
  std::size_t n = 0;
  for (char c : s) {
    if (c == '_') continue;
    if (n == sizeof norm) return std::nullopt;
    norm[n++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::string_view k(norm, n);
  if (k == "bidask") return TickType::kBidAsk;
  if (k == "last") return TickType::kLast;
  if (k == "alllast") return TickType::kAllLast;
  if (k == "midpoint") return TickType::kMidPoint;
  return std::nullopt;
}

std::optional<std::uint32_t> ParseContractIdDigits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > 0xFFFFFFFFull) return std::nullopt;
  }
  if (v == 0) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

StreamIdParts ParseStreamId(std::string_view id) {
  StreamIdParts parts;
  bool background = id.substr(0, 3) == "bg_";
  if (background) id.remove_prefix(3);
  std::size_t us = id.find('_');
  if (us == std::string_view::npos) return parts;
  auto cid = ParseContractIdDigits(id.substr(0, us));
  if (!cid) return parts;
  std::string_view rest = id.substr(us + 1);
  if (!background) {
    // Drop "_{epoch_ms}_{rand}" from the end.
    for (int i = 0; i < 2; ++i) {
      std::size_t last = rest.rfind('_');
      if (last == std::string_view::npos) return parts;
      rest = rest.substr(0, last);
    }
  }
  auto tt = ParseTickTypeName(rest);
  if (!tt) return parts;
  parts.contract_id = cid;
  parts.tick_type = tt;
  return parts;
}

}  // namespace ibr::ingest
