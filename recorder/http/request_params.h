// RequestParams: the query and path parameters of the v2 API parsed into
// values, with 400-ready errors that name the parameter and quote the input
// (InvalidArgument). Pure functions of the request; any worker thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>

#include "common/clock.h"
#include "common/status.h"
#include "common/tick.h"
#include "query/range_spec.h"
#include "query/tick_encoder.h"

namespace ibr::http {

// The tick types a stream or buffer endpoint uses when none are given.
const std::vector<TickType>& DefaultTickTypes();  // bid_ask, last

// A contract id in a path: 1..4294967295.
Result<std::uint32_t> ParseContractId(std::string_view text);
// A tick type in a path or `tick_type`: bid_ask, last, all_last, mid_point.
Result<TickType> ParseTickTypeParam(std::string_view name, std::string_view text);
// `tick_types=a,b` (defaults when absent).
Result<std::vector<TickType>> TickTypesParam(const httplib::Request& req, const std::vector<TickType>& defaults);
// Historical endpoints: `tick_type` (one, default bid_ask) or `tick_types` (a list), not both.
Result<std::vector<TickType>> HistoricalTickTypes(const httplib::Request& req);
// A duration parameter (1h, 2h30m, 90s, ...); nullopt when absent.
Result<std::optional<TimeUs>> DurationParam(const httplib::Request& req, const char* name);
// An ISO-8601 time parameter; nullopt when absent. A '+' decoded to ' ' in an
// offset ("...T14:00:00 00:00") is read as '+'.
Result<std::optional<TimeUs>> TimeParam(const httplib::Request& req, const char* name);
// A required ISO-8601 time parameter.
Result<TimeUs> RequiredTimeParam(const httplib::Request& req, const char* name);
// `limit`: a positive integer; nullopt when absent.
Result<std::optional<std::uint64_t>> LimitParam(const httplib::Request& req);
// `format`: json (default), ndjson, csv, protobuf.
Result<query::OutputFormat> FormatParam(const httplib::Request& req);
// `period` of /relative: the seed's names (last_hour, ...) or a duration (2h30m).
Result<query::RangeSpec> PeriodParam(const httplib::Request& req, std::string* period_text);
// `session_type`, `market`, `date` of /session.
Result<query::SessionOn> SessionParams(const httplib::Request& req);
// The parameter's value, or `fallback` when absent.
std::string ParamOr(const httplib::Request& req, const char* name, std::string_view fallback);

}  // namespace ibr::http
