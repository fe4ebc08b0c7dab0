// BufferEndpoints: info, stats and range over the recent buffer.
#include "http/buffer_endpoints.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "common/time_text.h"
#include "http/chunked_body.h"
#include "http/contract_lookup.h"
#include "http/json_envelope.h"
#include "http/json_reply.h"
#include "http/query_admission.h"
#include "http/request_params.h"
#include "http/tick_reader.h"

namespace ibr::http {
namespace {

// The request's contract, tick types and read-only catalog, or an error answer.
struct BufferRequest {
  std::uint32_t contract_id = 0;
  std::vector<TickType> tick_types;
  std::shared_ptr<catalog::Catalog> catalog;
  ContractLookup lookup;

  // The buffer length of the contract: its configured hours, else 1 h.
  TimeUs BufferLength() const {
    return (lookup.tracked ? std::max(1, lookup.tracked->buffer_hours) : 1) * kUsPerHour;
  }
  Json ConfiguredHours() const { return lookup.tracked ? Json(lookup.tracked->buffer_hours) : Json(nullptr); }
  // The members every buffer answer starts with.
  Json Head() const {
    return Json{{"contract_id", contract_id}, {"tick_types", TickTypesJson(tick_types)},
                {"tracked", lookup.tracked.has_value()}};
  }
};

Result<BufferRequest> ParseBufferRequest(const ApiContext& ctx, const httplib::Request& req) {
  BufferRequest b;
  auto cid = ParseContractId(req.matches[1].str());
  if (!cid.ok()) return cid.status();
  b.contract_id = *cid;
  auto types = TickTypesParam(req, DefaultTickTypes());
  if (!types.ok()) return types.status();
  b.tick_types = std::move(types).value();
  auto cat = OpenReadCatalog(ctx.root(), ctx.clock);
  if (!cat.ok()) return cat.status();
  b.catalog = std::move(cat).value();
  auto lookup = LookupContract(ctx.config(), b.catalog.get(), b.contract_id);
  if (!lookup.ok()) return lookup.status();
  b.lookup = std::move(lookup).value();
  return b;
}

Result<TickStatsSink> CountTicks(const ApiContext& ctx, const BufferRequest& b, query::TimeRange range,
                                 std::optional<std::uint64_t> limit = std::nullopt) {
  TickStatsSink stats;
  auto run = RunTickQuery(ctx.fs, ctx.root(), b.catalog.get(),
                          query::TickQuery{b.contract_id, b.tick_types, {range}, limit}, stats);
  if (!run.ok()) return run.status();
  return stats;
}

Json TimeOrNull(const std::optional<TimeUs>& t) { return t ? Json(FormatIsoTimestamp(*t)) : Json(nullptr); }

// The "statistics" object of /stats (and "buffer_stats_1h" of /info).
Json StatisticsJson(const BufferRequest& b, const TickStatsSink& s, const std::string& requested) {
  Json counts = Json::object();
  Json present = Json::array();
  for (TickType t : b.tick_types) {
    auto it = s.by_type.find(t);
    const std::uint64_t n = it == s.by_type.end() ? 0 : it->second;
    counts[std::string(TickTypeName(t))] = n;
    if (n > 0) present.push_back(std::string(TickTypeName(t)));
  }
  return Json{{"message_count", s.count},
              {"tick_type_counts", counts},
              {"tick_types", present},
              {"time_range", Json{{"start", TimeOrNull(s.first)}, {"end", TimeOrNull(s.last)}}},
              {"duration_requested", requested},
              {"duration_available", TimedeltaText(s.first ? *s.last - *s.first : 0)}};
}

std::string HoursText(TimeUs d) { return std::to_string(d / kUsPerHour) + "h"; }

}  // namespace

std::string TimedeltaText(TimeUs d) {
  if (d < 0) d = 0;
  const std::int64_t seconds = d / kUsPerSecond;
  const std::int64_t days = seconds / 86400, rest = seconds % 86400;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d:%02d:%02d", static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60),
                static_cast<int>(rest % 60));
  if (days == 0) return buf;
  return std::to_string(days) + (days == 1 ? " day, " : " days, ") + buf;
}

void HandleBufferInfo(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto slot = AdmitQuery(ctx, res);
  if (!slot) return;
  auto b = ParseBufferRequest(ctx, req);
  if (!b.ok()) return ReplyStatus(res, b.status());
  const TimeUs now = ctx.clock.Now();

  std::optional<TimeUs> latest;
  if (b->catalog) {
    auto days = b->catalog->ListDailyStats(b->contract_id);
    if (!days.ok()) return ReplyStatus(res, days.status());
    for (const auto& d : *days) {
      if (std::find(b->tick_types.begin(), b->tick_types.end(), d.tick_type) == b->tick_types.end()) continue;
      if (d.last_tick && (!latest || *d.last_tick > *latest)) latest = d.last_tick;
    }
  }
  auto oldest = CountTicks(ctx, *b, {now - b->BufferLength(), now}, 1);
  if (!oldest.ok()) return ReplyStatus(res, oldest.status());
  auto hour = CountTicks(ctx, *b, {now - kUsPerHour, now});
  if (!hour.ok()) return ReplyStatus(res, hour.status());

  TimeUs available = 0;
  if (oldest->first && latest) available = std::min(*latest, now) - *oldest->first;
  Json body = b->Head();
  body["available_duration"] = TimedeltaText(available);
  body["configured_buffer_hours"] = b->ConfiguredHours();
  body["latest_tick_time"] = TimeOrNull(latest);
  body["buffer_stats_1h"] = StatisticsJson(*b, *hour, "1h");
  body["timestamp"] = FormatIsoTimestamp(now);
  ReplyJson(res, 200, body);
}

void HandleBufferStats(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto slot = AdmitQuery(ctx, res);
  if (!slot) return;
  auto b = ParseBufferRequest(ctx, req);
  if (!b.ok()) return ReplyStatus(res, b.status());
  auto duration = DurationParam(req, "duration");
  if (!duration.ok()) return ReplyStatus(res, duration.status());
  const TimeUs now = ctx.clock.Now();
  const TimeUs d = duration->value_or(b->BufferLength());
  auto stats = CountTicks(ctx, *b, {now - d, now});
  if (!stats.ok()) return ReplyStatus(res, stats.status());
  const std::string requested = req.has_param("duration") ? req.get_param_value("duration") : HoursText(d);
  Json body = b->Head();
  body["configured_buffer_hours"] = b->ConfiguredHours();
  body["statistics"] = StatisticsJson(*b, *stats, requested);
  body["timestamp"] = FormatIsoTimestamp(now);
  ReplyJson(res, 200, body);
}

void HandleBufferRange(const ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto slot = AdmitQuery(ctx, res);  // held until the answer has been produced
  if (!slot) return;
  auto b = ParseBufferRequest(ctx, req);
  if (!b.ok()) return ReplyStatus(res, b.status());
  auto start = TimeParam(req, "start_time");
  if (!start.ok()) return ReplyStatus(res, start.status());
  auto end = TimeParam(req, "end_time");
  if (!end.ok()) return ReplyStatus(res, end.status());
  auto duration = DurationParam(req, "duration");
  if (!duration.ok()) return ReplyStatus(res, duration.status());
  auto limit = LimitParam(req);
  if (!limit.ok()) return ReplyStatus(res, limit.status());
  if (start->has_value() && duration->has_value()) {
    return ReplyError(res, 400,
                      "give start_time (and end_time) or duration, not both (got start_time '" +
                          req.get_param_value("start_time") + "' and duration '" + req.get_param_value("duration") +
                          "')");
  }
  const TimeUs now = ctx.clock.Now();
  query::TimeRange range;
  range.end = end->value_or(now);
  range.start = start->has_value() ? **start : range.end - duration->value_or(b->BufferLength());
  if (range.Empty()) {
    return ReplyError(res, 400,
                      "start_time " + FormatIsoTimestamp(range.start) + " is not before end_time " +
                          FormatIsoTimestamp(range.end) + (end->has_value() ? "" : " (end_time defaults to now)"));
  }

  Json head = b->Head();
  head["requested_range"] = Json{{"start_time", FormatIsoTimestamp(range.start)},
                                 {"end_time", FormatIsoTimestamp(range.end)},
                                 {"duration_seconds", static_cast<double>(range.end - range.start) / kUsPerSecond}};
  query::TickQuery q{b->contract_id, b->tick_types, {range}, *limit};
  SetChunkedBody(res, "application/json", ctx.stopping,
                 [&ctx, slot, catalog = b->catalog, q, now, head = JsonMembers(head)](query::OutputBuffer& out) {
                   const TickStatsSink* seen = nullptr;  // set below; read when the envelope closes
                   JsonEnvelope envelope(out, head, [&seen, now](std::uint64_t count) {
                     return JsonMembers(Json{{"actual_range", Json{{"start_time", TimeOrNull(seen->first)},
                                                                   {"end_time", TimeOrNull(seen->last)},
                                                                   {"message_count", count}}},
                                             {"timestamp", FormatIsoTimestamp(now)}});
                   });
                   TickStatsSink counting(&envelope);
                   seen = &counting;
                   IBR_RETURN_IF_ERROR(envelope.Begin());
                   auto run = RunTickQuery(ctx.fs, ctx.root(), catalog.get(), q, counting);
                   if (!run.ok()) return run.status();
                   return envelope.Finish();
                 });
}

}  // namespace ibr::http
