// `ib-recorder query`: option validation, range resolution, catalog open, output.
#include "cli/query_command.h"

#include <malloc.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "cli/store_settings.h"
#include "common/file_system.h"
#include "common/time_text.h"
#include "query/market_session.h"
#include "query/output_buffer.h"
#include "query/query_engine.h"
#include "query/range_spec.h"
#include "query/tick_encoder.h"
#include "storage/layout.h"

namespace ibr::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

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
};

Result<Validated> Validate(const QueryOptions& o, const Clock& clock) {
  Validated v;
  auto root = StorageRoot(o.storage);
  if (!root.ok()) return root.status();
  v.storage = *root;
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

  FileSystem& fs = PosixFileSystem::Instance();
  const std::string catalog_path = storage::CatalogPath(v->storage);
  auto no_catalog = "no catalog at " + catalog_path + ": is --storage right?";
  if (!fs.Exists(catalog_path)) return fail(kExitUsage, no_catalog);
  auto catalog = catalog::Catalog::Open(catalog_path, catalog::Catalog::Mode::kReadOnly, clock);
  if (!catalog.ok()) {
    if (catalog.status().code() == StatusCode::kNotFound) return fail(kExitUsage, no_catalog);
    return fail(kExitFailed, catalog.status().message());
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
  query::QueryEngine engine(fs, v->storage, **catalog);
  query::TickQuery q{v->contract_id, v->tick_types, v->ranges, v->limit};

  Status s = encoder->Begin(description);
  Result<query::QueryStats> stats = s.ok() ? engine.Run(q, *encoder) : Result<query::QueryStats>(s);
  if (stats.ok()) {
    for (const auto& note : stats->notes) std::fprintf(err, "ib-recorder query: note: %s\n", note.c_str());
    s = encoder->Finish();
  } else {
    s = stats.status();
    (void)buffer.Flush();  // the ticks before the failure
  }
  if (s.ok() && std::fflush(out) != 0) s = Status::IoError(std::string("writing output: ") + std::strerror(errno));
  if (!s.ok()) return fail(kExitFailed, s.message());
  return kExitOk;
}

}  // namespace ibr::cli
