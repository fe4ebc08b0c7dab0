// `ib-recorder query`: option validation, range resolution, catalog open, output.
#include "cli/query_command.h"

#include <malloc.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "cli/exit_codes.h"
#include "cli/store_settings.h"
#include "common/file_system.h"
#include "common/time_text.h"
#include "federation/central_timeline.h"
#include "federation/coverage_table.h"
#include "federation/federated_query.h"
#include "federation/instance_readers.h"
#include "query/market_session.h"
#include "query/output_buffer.h"
#include "query/query_engine.h"
#include "query/range_spec.h"
#include "query/tick_encoder.h"
#include "storage/layout.h"

namespace ibr::cli {
namespace {

constexpr int kExitIncomplete = 3;  // --federated: holes reported on stderr

constexpr const char* kRangeForms =
    "--start T [--end T], --last DURATION, --today, --since-open, --session TYPE, --previous-sessions N";

std::optional<std::uint64_t> ParseUnsigned(std::string_view s, std::uint64_t max) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty() || v > max) return std::nullopt;
  return v;
}

Status Usage(std::string msg) { return Status::InvalidArgument(std::move(msg)); }

// The one range form given, with its modifiers checked.
Result<query::RangeSpec> BuildRangeSpec(const QueryOptions& o) {
  std::vector<std::string> forms;
  if (o.start) forms.push_back("--start");
  if (o.last) forms.push_back("--last");
  if (o.today) forms.push_back("--today");
  if (o.since_open) forms.push_back("--since-open");
  if (o.session) forms.push_back("--session");
  if (o.previous_sessions) forms.push_back("--previous-sessions");
  if (forms.empty()) {
    if (o.end) return Usage("--end needs --start");
    return Usage(std::string("give a time range, one of: ") + kRangeForms);
  }
  if (forms.size() > 1) {
    std::string given;
    for (const auto& f : forms) given += (given.empty() ? "" : ", ") + f;
    return Usage("give exactly one time range, got " + given + " (one of: " + kRangeForms + ")");
  }
  if (o.end && !o.start) return Usage("--end needs --start");
  if (o.date && !o.session) return Usage("--date applies only to --session");
  if (o.session_type && !o.previous_sessions) return Usage("--session-type applies only to --previous-sessions");
  if (o.market && !o.since_open && !o.session && !o.previous_sessions) {
    return Usage("--market applies only to --since-open, --session and --previous-sessions");
  }

  query::Market market = query::Market::kUS;
  if (o.market) {
    auto m = query::ParseMarket(*o.market);
    if (!m.ok()) return m.status().WithContext("--market");
    market = *m;
  }
  if (o.start) {
    auto start = ParseUserTime(*o.start);
    if (!start.ok()) return start.status().WithContext("--start");
    query::AbsoluteRange r{*start, std::nullopt};
    if (o.end) {
      auto end = ParseUserTime(*o.end);
      if (!end.ok()) return end.status().WithContext("--end");
      r.end = *end;
    }
    return query::RangeSpec{r};
  }
  if (o.last) {
    auto d = ParseDuration(*o.last);
    if (!d.ok()) return d.status().WithContext("--last");
    return query::RangeSpec{query::LastDuration{*d}};
  }
  if (o.today) return query::RangeSpec{query::Today{}};
  if (o.since_open) return query::RangeSpec{query::SinceOpen{market}};
  if (o.session) {
    auto type = query::ParseSessionType(market, *o.session);
    if (!type.ok()) return type.status().WithContext("--session");
    query::SessionOn s{market, *type, std::nullopt};
    if (o.date) {
      auto date = query::ParseLocalDate(*o.date);
      if (!date.ok()) return date.status().WithContext("--date");
      s.date = *date;
    }
    return query::RangeSpec{s};
  }
  auto n = ParseUnsigned(*o.previous_sessions, 10000);
  if (!n || *n == 0) {
    return Usage("--previous-sessions: invalid count '" + *o.previous_sessions + "' (expected 1..10000)");
  }
  auto type = query::ParseSessionType(market, o.session_type.value_or("regular"));
  if (!type.ok()) return type.status().WithContext("--session-type");
  return query::RangeSpec{query::PreviousSessionsSpec{market, *type, static_cast<int>(*n)}};
}

struct Validated {
  std::string storage;
  std::uint32_t contract_id = 0;
  std::vector<TickType> tick_types;
  query::OutputFormat format = query::OutputFormat::kNdjson;
  std::optional<std::uint64_t> limit;
  std::vector<query::TimeRange> ranges;
  // --federated
  federation::ReadVia read_via = federation::ReadVia::kAuto;
  std::string dsn, api_key;
};

// The federated options, or that they were given without --federated.
Status ValidateFederation(const QueryOptions& o, Validated& v) {
  if (!o.federated) {
    if (o.dsn) return Usage("--dsn applies only to --federated");
    if (o.api_key) return Usage("--api-key applies only to --federated");
    if (o.read_via != "auto") return Usage("--read-via applies only to --federated");
    return Status::Ok();
  }
  if (!o.storage.empty()) {
    return Usage("--storage does not apply to --federated: the central database says where each instance's files are");
  }
  auto via = federation::ParseReadVia(o.read_via);
  if (!via.ok()) return via.status().WithContext("--read-via");
  v.read_via = *via;
  v.dsn = o.dsn.value_or("");
  const char* env_key = std::getenv("IB_STREAM_API_KEY");
  v.api_key = o.api_key ? *o.api_key : (env_key ? env_key : "");
  return Status::Ok();
}

Result<Validated> Validate(const QueryOptions& o, const Clock& clock) {
  Validated v;
  IBR_RETURN_IF_ERROR(ValidateFederation(o, v));
  if (!o.federated) {
    auto root = StorageRoot(o.storage);
    if (!root.ok()) return root.status();
    v.storage = *root;
  }
  if (o.contract.empty()) return Usage("--contract ID is required");
  auto cid = ParseUnsigned(o.contract, 4294967295u);
  if (!cid || *cid == 0) {
    return Usage("--contract: invalid contract id '" + o.contract + "' (expected 1..4294967295)");
  }
  v.contract_id = static_cast<std::uint32_t>(*cid);
  auto types = ParseTickTypeList(o.tick_types);
  if (!types) {
    return Usage("--tick-types: invalid list '" + o.tick_types +
                 "' (expected comma-separated bid_ask, last, all_last, mid_point)");
  }
  v.tick_types = *types;
  auto format = query::ParseOutputFormat(o.format);
  if (!format.ok()) return format.status().WithContext("--format");
  v.format = *format;
  if (o.limit) {
    auto n = ParseUnsigned(*o.limit, UINT64_MAX);
    if (!n || *n == 0) return Usage("--limit: invalid count '" + *o.limit + "' (expected a positive integer)");
    v.limit = *n;
  }
  auto spec = BuildRangeSpec(o);
  if (!spec.ok()) return spec.status();
  auto ranges = query::ResolveRange(*spec, clock);
  if (!ranges.ok()) return ranges.status();
  v.ranges = std::move(ranges).value();
  return v;
}

// What runs the query once the output has begun; everything that can fail
// before any output (catalog, central database) is done before it is made.
using Runner = std::function<Status(query::TickSink& sink, int& exit_code)>;

// A local query: the storage root's catalog, then the query engine.
Result<Runner> PrepareLocal(const Validated& v, const Clock& clock, std::FILE* err) {
  FileSystem& fs = PosixFileSystem::Instance();
  const std::string catalog_path = storage::CatalogPath(v.storage);
  auto no_catalog = Usage("no catalog at " + catalog_path + ": is --storage right?");
  if (!fs.Exists(catalog_path)) return no_catalog;
  auto opened = catalog::Catalog::Open(catalog_path, catalog::Catalog::Mode::kReadOnly, clock);
  if (!opened.ok()) return opened.status().code() == StatusCode::kNotFound ? no_catalog : opened.status();
  std::shared_ptr<catalog::Catalog> cat = std::move(opened).value();
  return Runner([&v, &fs, err, cat](query::TickSink& sink, int& exit_code) {
    query::QueryEngine engine(fs, v.storage, *cat);
    auto stats = engine.Run(query::TickQuery{v.contract_id, v.tick_types, v.ranges, v.limit}, sink);
    if (!stats.ok()) return stats.status();
    for (const auto& note : stats->notes) std::fprintf(err, "ib-recorder query: note: %s\n", note.c_str());
    exit_code = kExitOk;
    return Status::Ok();
  });
}

std::string Span(const query::TimeRange& r) { return FormatIsoTimestamp(r.start) + " to " + FormatIsoTimestamp(r.end); }

// Gaps (nothing was collected: informational) and holes (covered but unreadable: exit 3) on stderr.
int ReportFederated(const Validated& v, const federation::FederatedStats& stats, std::FILE* err) {
  for (const auto& note : stats.notes) std::fprintf(err, "ib-recorder query: note: %s\n", note.c_str());
  constexpr std::size_t kMaxGapLines = 20;
  for (std::size_t i = 0; i < stats.gaps.size() && !stats.limit_reached; ++i) {
    if (i == kMaxGapLines) {
      std::fprintf(err, "ib-recorder query: note: ... and %zu more gaps\n", stats.gaps.size() - kMaxGapLines);
      break;
    }
    std::fprintf(err, "ib-recorder query: note: no instance collected contract %u from %s (a collection gap)\n",
                 v.contract_id, Span(stats.gaps[i]).c_str());
  }
  for (const auto& hole : stats.holes) {
    std::fprintf(err, "ib-recorder query: missing: contract %u from %s could not be read: %s\n", hole.contract_id,
                 Span(hole.range).c_str(), hole.why.c_str());
  }
  if (stats.holes.empty()) return kExitOk;
  std::fprintf(err,
               "ib-recorder query: the output is incomplete: %zu covered piece(s) listed above are missing (exit 3); "
               "make those instances reachable and query again\n",
               stats.holes.size());
  return kExitIncomplete;
}

// A federated query: the central timeline of every range (fetched now), then
// each instance's files or HTTP API.
Result<Runner> PrepareFederated(const Validated& v, const Clock& clock, std::FILE* err) {
  auto timeline = federation::CentralTimeline::Connect(v.dsn);
  if (!timeline.ok()) return timeline.status();
  auto table = std::make_shared<federation::CoverageTable>();
  for (const auto& range : v.ranges) {
    auto rows = (*timeline)->Coverage(v.contract_id, range);
    if (!rows.ok()) return rows.status();
    table->Add(std::move(rows).value());
  }
  return Runner([&v, &clock, err, table](query::TickSink& sink, int& exit_code) {
    federation::HttpReadOptions http;
    http.api_key = v.api_key;
    federation::InstanceReaders readers(v.read_via, http, PosixFileSystem::Instance(), clock);
    federation::FederatedQuery fq(*table, readers);
    auto stats = fq.Run(query::TickQuery{v.contract_id, v.tick_types, v.ranges, v.limit}, sink);
    if (!stats.ok()) return stats.status();
    exit_code = ReportFederated(v, *stats, err);
    return Status::Ok();
  });
}

}  // namespace

int RunQuery(const QueryOptions& options, const Clock& clock) { return RunQuery(options, clock, stdout, stderr); }

int RunQuery(const QueryOptions& options, const Clock& clock, std::FILE* out, std::FILE* err) {
  auto fail = [&](int code, const std::string& msg) {
    std::fprintf(err, "ib-recorder query: %s\n", msg.c_str());
    return code;
  };
  auto v = Validate(options, clock);
  if (!v.ok()) {
    int code = v.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailed;
    return fail(code, v.status().message());
  }

  // Keep freed memory in the heap for the next file. A decoded hour file is
  // ~270 B per tick (std::vector<Tick>, e.g. 82 MB for 300,000 ticks); by
  // default glibc maps and unmaps each such block, so every file pays its
  // first-touch page faults again (measured on the 2-core VM: ~500 ms per
  // 300,000-tick file; ~8 ms when the memory is reused). Process-wide, which
  // is fine for this one-shot command.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);

  auto runner = options.federated ? PrepareFederated(*v, clock, err) : PrepareLocal(*v, clock, err);
  if (!runner.ok()) {
    return fail(runner.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailed,
                runner.status().message());
  }

  query::OutputBuffer buffer([out](std::string_view chunk) {
    if (std::fwrite(chunk.data(), 1, chunk.size(), out) != chunk.size()) {
      return Status::IoError(std::string("writing output: ") + std::strerror(errno));
    }
    return Status::Ok();
  });
  auto encoder = query::MakeTickEncoder(v->format, buffer, query::EncoderOptions{});
  query::QueryDescription description{v->contract_id, v->tick_types, v->ranges.front().start,
                                      v->ranges.back().end};

  int exit_code = kExitFailed;
  Status s = encoder->Begin(description);
  if (s.ok()) s = (*runner)(*encoder, exit_code);
  if (s.ok()) {
    s = encoder->Finish();
  } else {
    (void)buffer.Flush();  // the ticks before the failure
  }
  if (s.ok() && std::fflush(out) != 0) s = Status::IoError(std::string("writing output: ") + std::strerror(errno));
  if (!s.ok()) return fail(kExitFailed, s.message());
  return exit_code;
}

Result<query::RangeSpec> BuildQueryRangeSpec(const QueryOptions& options) { return BuildRangeSpec(options); }

}  // namespace ibr::cli
