// HistoricalEndpoints: parameters -> ranges -> streamed answer.
#include "http/historical_endpoints.h"

#include <memory>
#include <optional>
#include <vector>

#include "common/time_text.h"
#include "http/chunked_body.h"
#include "http/contract_lookup.h"
#include "http/json_envelope.h"
#include "http/json_reply.h"
#include "http/query_admission.h"
#include "http/request_params.h"
#include "http/tick_reader.h"
#include "query/market_session.h"
#include "query/range_spec.h"

namespace ibr::http {
namespace {

// What a kind of query covers, and what its JSON answer says about it.
struct RangePlan {
  query::RangeSpec spec;
  std::vector<query::TimeRange> ranges;
  Json extras = Json::object();
};

Result<RangePlan> PlanRange(HistoricalKind kind, const httplib::Request& req, const Clock& clock) {
  RangePlan plan;
  const TimeUs now = clock.Now();
  switch (kind) {
    case HistoricalKind::kRange: {
      auto start = RequiredTimeParam(req, "start_time");
      if (!start.ok()) return start.status();
      auto end = RequiredTimeParam(req, "end_time");
      if (!end.ok()) return end.status();
      plan.spec = query::AbsoluteRange{*start, *end};
      break;
    }
    case HistoricalKind::kToPresent: {
      auto start = RequiredTimeParam(req, "start_time");
      if (!start.ok()) return start.status();
      plan.spec = query::AbsoluteRange{*start, std::nullopt};
      plan.extras["current_time"] = FormatIsoTimestamp(now);
      break;
    }
    case HistoricalKind::kSession: {
      auto s = SessionParams(req);
      if (!s.ok()) return s.status();
      if (!s->date) {
        auto today = query::MarketDate(s->market, now);
        if (!today.ok()) return today.status();
        s->date = *today;
      }
      plan.spec = *s;
      plan.extras["session"] = Json{{"type", std::string(query::SessionTypeName(s->type))},
                                    {"market", std::string(query::MarketName(s->market))},
                                    {"date", query::FormatLocalDate(*s->date)}};
      break;
    }
    case HistoricalKind::kRelative: {
      std::string period;
      auto spec = PeriodParam(req, &period);
      if (!spec.ok()) return spec.status();
      plan.spec = *spec;
      plan.extras["period"] = period;
      break;
    }
  }
  auto ranges = query::ResolveRange(plan.spec, clock);
  if (!ranges.ok()) return ranges.status();
  plan.ranges = std::move(ranges).value();
  if (kind == HistoricalKind::kSession) {
    plan.extras["session"]["start"] = FormatIsoTimestamp(plan.ranges.front().start);
    plan.extras["session"]["end"] = FormatIsoTimestamp(plan.ranges.back().end);
  }
  return plan;
}

}  // namespace

void HandleHistorical(const ApiContext& ctx, HistoricalKind kind, const httplib::Request& req,
                      httplib::Response& res) {
  auto cid = ParseContractId(req.matches[1].str());
  if (!cid.ok()) return ReplyStatus(res, cid.status());
  auto types = HistoricalTickTypes(req);
  if (!types.ok()) return ReplyStatus(res, types.status());
  auto format = FormatParam(req);
  if (!format.ok()) return ReplyStatus(res, format.status());
  auto limit = LimitParam(req);
  if (!limit.ok()) return ReplyStatus(res, limit.status());
  auto plan = PlanRange(kind, req, ctx.clock);
  if (!plan.ok()) return ReplyStatus(res, plan.status());
  auto slot = AdmitQuery(ctx, res);  // held until the answer has been produced
  if (!slot) return;
  auto cat = OpenReadCatalog(ctx.root(), ctx.clock);
  if (!cat.ok()) return ReplyStatus(res, cat.status());
  auto lookup = LookupContract(ctx.config(), cat->get(), *cid);
  if (!lookup.ok()) return ReplyStatus(res, lookup.status());

  const TimeUs start = plan->ranges.front().start, end = plan->ranges.back().end;
  Json head{{"contract_id", *cid},
            {"tick_types", TickTypesJson(*types)},
            {"start_time", FormatIsoTimestamp(start)},
            {"end_time", FormatIsoTimestamp(end)},
            {"tracked", lookup->tracked.has_value()}};
  for (auto& [k, v] : plan->extras.items()) head[k] = v;
  res.set_header("X-IB-Start-Time", FormatIsoTimestamp(start));
  res.set_header("X-IB-End-Time", FormatIsoTimestamp(end));

  query::TickQuery q{*cid, *types, plan->ranges, *limit};
  query::QueryDescription description{*cid, *types, start, end};
  const query::OutputFormat f = *format;
  SetChunkedBody(res, std::string(query::OutputContentType(f)), ctx.stopping,
                 [&ctx, slot, catalog = *cat, q, description, f, head = JsonMembers(head)](query::OutputBuffer& out) {
                   if (f == query::OutputFormat::kJson) {
                     JsonEnvelope envelope(out, head);
                     IBR_RETURN_IF_ERROR(envelope.Begin());
                     auto stats = RunTickQuery(ctx.fs, ctx.root(), catalog.get(), q, envelope);
                     if (!stats.ok()) return stats.status();
                     return envelope.Finish();
                   }
                   auto encoder = query::MakeTickEncoder(f, out, query::EncoderOptions{});
                   IBR_RETURN_IF_ERROR(encoder->Begin(description));
                   auto stats = RunTickQuery(ctx.fs, ctx.root(), catalog.get(), q, *encoder);
                   if (!stats.ok()) return stats.status();
                   return encoder->Finish();
                 });
}

}  // namespace ibr::http
