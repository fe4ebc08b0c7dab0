// Tracked contracts: the IB_STREAM_TRACKED_CONTRACTS parser.
#include "config/tracked_contracts.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "config/config_text.h"
#include "config/setting_check.h"

namespace ibr::config {
namespace {

std::optional<long long> WholeNumber(std::string_view v) {
  long long out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size()) return std::nullopt;
  return out;
}

}  // namespace

Result<std::vector<TrackedContract>> ParseTrackedContracts(std::string_view text, const std::string& variable) {
  const std::string kShape = "id:symbol[:tick;types[:buffer_hours]] items separated by ',', e.g. "
                             "711280073:MNQ:bid_ask;last:24,265598:AAPL";
  std::vector<TrackedContract> out;
  if (TrimBlanks(text).empty()) return out;
  std::string_view rest = text;
  while (true) {
    std::size_t comma = rest.find(',');
    std::string item(TrimBlanks(rest.substr(0, comma)));
    auto bad = [&](const std::string& what) {
      return InvalidValue(variable, text, what + " in item '" + Printable(item) + "'; items are " + kShape);
    };
    std::vector<std::string> f;
    for (std::string_view s = item;;) {
      std::size_t colon = s.find(':');
      f.emplace_back(TrimBlanks(s.substr(0, colon)));
      if (colon == std::string_view::npos) break;
      s.remove_prefix(colon + 1);
    }
    if (item.empty()) return bad("an empty item");
    if (f.size() < 2 || f.size() > 4) return bad("2 to 4 ':'-separated fields");
    TrackedContract c;
    auto id = WholeNumber(f[0]);
    if (!id || *id < 1 || *id > 4294967295LL) return bad("a contract id from 1 to 4294967295");
    c.contract_id = static_cast<std::uint32_t>(*id);
    if (f[1].empty()) return bad("a symbol");
    if (!IsPlainText(f[1]) || f[1].size() > 64) {
      return bad("a symbol of at most 64 characters, in UTF-8, without control characters (a newline, a tab or an "
                 "invalid byte is not part of any symbol)");
    }
    c.symbol = f[1];
    if (f.size() >= 3 && !f[2].empty()) {
      for (std::string_view s = f[2];;) {
        std::size_t semi = s.find(';');
        std::string_view name = TrimBlanks(s.substr(0, semi));
        auto tt = ParseTickTypeName(name);
        if (!tt) return bad("tick types from bid_ask, last, all_last, mid_point separated by ';'");
        if (std::find(c.tick_types.begin(), c.tick_types.end(), *tt) == c.tick_types.end()) c.tick_types.push_back(*tt);
        if (semi == std::string_view::npos) break;
        s.remove_prefix(semi + 1);
      }
    } else {
      c.tick_types = {TickType::kBidAsk, TickType::kLast};
    }
    if (f.size() == 4) {
      auto h = WholeNumber(f[3]);
      if (!h || *h < 1 || *h > 720) return bad("buffer hours from 1 to 720");
      c.buffer_hours = static_cast<int>(*h);
    }
    for (const auto& o : out) {
      if (o.contract_id == c.contract_id) return bad("each contract once (" + f[0] + " is listed twice)");
    }
    out.push_back(std::move(c));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace ibr::config
