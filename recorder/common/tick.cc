// Tick type names.
#include "common/tick.h"

#include <algorithm>

namespace ibr {

std::string_view TickTypeName(TickType t) {
  switch (t) {
    case TickType::kBidAsk: return "bid_ask";
    case TickType::kLast: return "last";
    case TickType::kAllLast: return "all_last";
    case TickType::kMidPoint: return "mid_point";
  }
  return "unknown";
}

std::optional<TickType> ParseTickTypeName(std::string_view s) {
  if (s == "bid_ask") return TickType::kBidAsk;
  if (s == "last") return TickType::kLast;
  if (s == "all_last") return TickType::kAllLast;
  if (s == "mid_point") return TickType::kMidPoint;
  return std::nullopt;
}

std::optional<std::vector<TickType>> ParseTickTypeList(std::string_view s) {
  std::vector<TickType> out;
  while (!s.empty()) {
    auto comma = s.find(',');
    std::string_view item = s.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    auto t = ParseTickTypeName(item);
    if (!t) return std::nullopt;
    if (std::find(out.begin(), out.end(), *t) == out.end()) out.push_back(*t);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace ibr
