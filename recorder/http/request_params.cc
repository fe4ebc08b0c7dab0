// RequestParams: parsing and the error texts.
#include "http/request_params.h"

#include <charconv>

#include "common/time_text.h"

namespace ibr::http {
namespace {

constexpr const char* kTickTypeNames = "bid_ask, last, all_last, mid_point";

Status Bad(std::string msg) { return Status::InvalidArgument(std::move(msg)); }

std::optional<std::uint64_t> ParseUnsigned(std::string_view s, std::uint64_t max) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v > max) return std::nullopt;
  return v;
}

}  // namespace

const std::vector<TickType>& DefaultTickTypes() {
  static const std::vector<TickType> kDefault{TickType::kBidAsk, TickType::kLast};
  return kDefault;
}

std::string ParamOr(const httplib::Request& req, const char* name, std::string_view fallback) {
  return req.has_param(name) ? req.get_param_value(name) : std::string(fallback);
}

Result<std::uint32_t> ParseContractId(std::string_view text) {
  auto v = ParseUnsigned(text, 4294967295u);
  if (!v || *v == 0) return Bad("invalid contract id '" + std::string(text) + "' (expected 1..4294967295)");
  return static_cast<std::uint32_t>(*v);
}

Result<TickType> ParseTickTypeParam(std::string_view name, std::string_view text) {
  auto t = ParseTickTypeName(text);
  if (!t) return Bad("invalid " + std::string(name) + " '" + std::string(text) + "' (expected one of " + kTickTypeNames + ")");
  return *t;
}

Result<std::vector<TickType>> TickTypesParam(const httplib::Request& req, const std::vector<TickType>& defaults) {
  if (!req.has_param("tick_types")) return defaults;
  const std::string text = req.get_param_value("tick_types");
  auto types = ParseTickTypeList(text);
  if (!types) return Bad("invalid tick_types '" + text + "' (expected a comma-separated list of " + kTickTypeNames + ")");
  return *types;
}

Result<std::vector<TickType>> HistoricalTickTypes(const httplib::Request& req) {
  if (req.has_param("tick_type") && req.has_param("tick_types")) {
    return Bad("give tick_type or tick_types, not both (got tick_type '" + req.get_param_value("tick_type") +
               "' and tick_types '" + req.get_param_value("tick_types") + "')");
  }
  if (req.has_param("tick_types")) return TickTypesParam(req, {});
  auto t = ParseTickTypeParam("tick_type", ParamOr(req, "tick_type", "bid_ask"));
  if (!t.ok()) return t.status();
  return std::vector<TickType>{*t};
}

Result<std::optional<TimeUs>> DurationParam(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::optional<TimeUs>();
  auto d = ParseDuration(req.get_param_value(name));
  if (!d.ok()) return d.status().WithContext(name);
  return std::optional<TimeUs>(*d);
}

Result<std::optional<TimeUs>> TimeParam(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::optional<TimeUs>();
  std::string text = req.get_param_value(name);
  for (std::size_t i = 11; i < text.size(); ++i) {
    if (text[i] == ' ') text[i] = '+';  // an unencoded '+' of "+00:00" arrives as a space
  }
  auto t = ParseUserTime(text);
  if (!t.ok()) return t.status().WithContext(name);
  return std::optional<TimeUs>(*t);
}

Result<TimeUs> RequiredTimeParam(const httplib::Request& req, const char* name) {
  auto t = TimeParam(req, name);
  if (!t.ok()) return t.status();
  if (!t->has_value()) return Bad(std::string(name) + " is required (ISO-8601, e.g. 2025-03-10T14:30:00Z)");
  return **t;
}

Result<std::optional<std::uint64_t>> LimitParam(const httplib::Request& req) {
  if (!req.has_param("limit")) return std::optional<std::uint64_t>();
  const std::string text = req.get_param_value("limit");
  auto n = ParseUnsigned(text, UINT64_MAX);
  if (!n || *n == 0) return Bad("invalid limit '" + text + "' (expected a positive integer)");
  return std::optional<std::uint64_t>(*n);
}

Result<query::OutputFormat> FormatParam(const httplib::Request& req) {
  auto f = query::ParseOutputFormat(ParamOr(req, "format", "json"));
  if (!f.ok()) return f.status().WithContext("format");
  return *f;
}

Result<query::RangeSpec> PeriodParam(const httplib::Request& req, std::string* period_text) {
  *period_text = ParamOr(req, "period", "last_hour");
  if (query::RelativePeriodDuration(*period_text).ok()) return query::RangeSpec{query::RelativePeriod{*period_text}};
  auto d = ParseDuration(*period_text);
  if (d.ok()) return query::RangeSpec{query::LastDuration{*d}};
  return Bad("invalid period '" + *period_text +
             "' (expected last_minute, last_5_minutes, last_15_minutes, last_30_minutes, last_hour, last_2_hours, "
             "last_4_hours, last_day, last_week, last_month, or a duration such as 2h30m)");
}

Result<query::SessionOn> SessionParams(const httplib::Request& req) {
  query::SessionOn s;
  auto market = query::ParseMarket(ParamOr(req, "market", "US"));
  if (!market.ok()) return market.status().WithContext("market");
  s.market = *market;
  auto type = query::ParseSessionType(s.market, ParamOr(req, "session_type", "regular"));
  if (!type.ok()) return type.status().WithContext("session_type");
  s.type = *type;
  if (req.has_param("date")) {
    std::string text = req.get_param_value("date");
    if (text.size() > 10 && (text[10] == 'T' || text[10] == ' ')) text.resize(10);  // the seed sends a datetime
    auto date = query::ParseLocalDate(text);
    if (!date.ok()) return date.status().WithContext("date");
    s.date = *date;
  }
  return s;
}

}  // namespace ibr::http
