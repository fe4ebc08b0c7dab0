// ContinuityCheck: the source's last and the target's first tick from the
// catalogs' hour buckets, then the overlap compared slice by slice.
#include "migration/continuity_check.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "common/json_text.h"
#include "common/time_text.h"
#include "migration/gap_tolerance.h"
#include "query/query_engine.h"
#include "query/value_text.h"
#include "storage/layout.h"

namespace ibr::migration {
namespace {

const std::vector<TickType> kAllTickTypes{TickType::kBidAsk, TickType::kLast, TickType::kAllLast, TickType::kMidPoint};

// One root opened for reading: its catalog and the hour buckets per contract.
struct OpenRoot {
  std::string root;
  std::unique_ptr<catalog::Catalog> catalog;
  std::map<std::uint32_t, std::set<TimeUs>> hours;  // contract -> hour buckets with files
};

Result<OpenRoot> OpenForReading(FileSystem& fs, const std::string& root, const char* role, const Clock& clock) {
  const std::string path = storage::CatalogPath(root);
  if (root.empty()) return Status::InvalidArgument(std::string("the ") + role + " storage root is not given");
  if (!fs.Exists(path)) {
    return Status::NotFound(std::string(role) + " storage " + root + ": no catalog at " + path +
                            "; is the path right (a storage root has metadata/catalog.sqlite)?");
  }
  auto cat = catalog::Catalog::Open(path, catalog::Catalog::Mode::kReadOnly, clock);
  if (!cat.ok()) return cat.status().WithContext(std::string(role) + " storage " + root);
  OpenRoot out{root, std::move(cat).value(), {}};
  auto files = out.catalog->ListTickFiles();
  if (!files.ok()) return files.status().WithContext(std::string(role) + " storage " + root);
  for (const auto& f : *files) out.hours[f.contract_id].insert(f.hour_bucket);
  return out;
}

// What two instances that recorded the same upstream agree on: everything but
// their own arrival order, the per-subscription stream id and sequence.
std::string ContentKey(const Tick& t) {
  std::string k = FormatIsoTimestamp(t.timestamp_us);
  k += ' ';
  k += TickTypeName(t.tick_type);
  const auto add = [&k](const char* name, const std::optional<double>& v) {
    if (!v) return;
    k += std::string(" ") + name + "=";
    query::AppendDouble(k, *v);
  };
  add("price", t.price);
  add("size", t.size);
  add("bid", t.bid_price);
  add("bid_size", t.bid_size);
  add("ask", t.ask_price);
  add("ask_size", t.ask_size);
  add("mid", t.mid_price);
  if (t.exchange) k += " exchange=" + *t.exchange;
  if (!t.conditions.empty()) {
    k += " conditions=";
    for (std::size_t i = 0; i < t.conditions.size(); ++i) k += (i ? ";" : "") + t.conditions[i];
  }
  if (t.unix_time) k += " unix_time=" + std::to_string(*t.unix_time);
  const auto flag = [&k](const char* name, const std::optional<bool>& v) {
    if (v) k += std::string(" ") + name + "=" + (*v ? "1" : "0");
  };
  flag("past_limit", t.past_limit);
  flag("unreported", t.unreported);
  flag("bid_past_low", t.bid_past_low);
  flag("ask_past_high", t.ask_past_high);
  return k;
}

class LastTickSink final : public query::TickSink {
 public:
  Status OnTick(const Tick& tick, std::string_view) override {
    last = tick.timestamp_us;
    return Status::Ok();
  }
  std::optional<TimeUs> last;
};

class KeySink final : public query::TickSink {
 public:
  Status OnTick(const Tick& tick, std::string_view) override {
    keys.push_back(ContentKey(tick));
    return Status::Ok();
  }
  std::vector<std::string> keys;
};

Status RunQuery(FileSystem& fs, OpenRoot& r, std::uint32_t cid, query::TimeRange range, std::optional<std::uint64_t> limit,
                query::TickSink& sink, std::vector<std::string>& notes) {
  query::QueryEngine engine(fs, r.root, *r.catalog);
  auto stats = engine.Run(query::TickQuery{cid, kAllTickTypes, {range}, limit}, sink);
  if (!stats.ok()) return stats.status().WithContext("storage " + r.root);
  for (const auto& n : stats->notes) notes.push_back(r.root + ": " + n);
  return Status::Ok();
}

Result<std::optional<TimeUs>> LastTick(FileSystem& fs, OpenRoot& r, std::uint32_t cid, std::vector<std::string>& notes) {
  const auto it = r.hours.find(cid);
  if (it == r.hours.end()) return std::optional<TimeUs>{};
  for (auto h = it->second.rbegin(); h != it->second.rend(); ++h) {
    LastTickSink sink;
    IBR_RETURN_IF_ERROR(RunQuery(fs, r, cid, {*h, *h + kUsPerHour}, std::nullopt, sink, notes));
    if (sink.last) return sink.last;
  }
  return std::optional<TimeUs>{};
}

Result<std::optional<TimeUs>> FirstTick(FileSystem& fs, OpenRoot& r, std::uint32_t cid, std::vector<std::string>& notes) {
  const auto it = r.hours.find(cid);
  if (it == r.hours.end()) return std::optional<TimeUs>{};
  for (TimeUs h : it->second) {
    LastTickSink sink;  // limit 1: the only tick is the first
    IBR_RETURN_IF_ERROR(RunQuery(fs, r, cid, {h, h + kUsPerHour}, 1, sink, notes));
    if (sink.last) return sink.last;
  }
  return std::optional<TimeUs>{};
}

std::string Seconds(TimeUs us) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g s", static_cast<double>(us) / kUsPerSecond);
  return buf;
}

// Compares the ticks both roots hold in [from, to], slice by slice (multisets of content keys).
Status CompareOverlap(FileSystem& fs, OpenRoot& src, OpenRoot& dst, TimeUs from, TimeUs to, TimeUs slice,
                      ContractContinuity& c, std::vector<std::string>& notes) {
  slice = std::max<TimeUs>(slice, kUsPerSecond);
  for (TimeUs t = from; t <= to; t += slice) {
    const query::TimeRange range{t, std::min(t + slice, to + 1)};
    KeySink a, b;
    IBR_RETURN_IF_ERROR(RunQuery(fs, src, c.contract_id, range, std::nullopt, a, notes));
    IBR_RETURN_IF_ERROR(RunQuery(fs, dst, c.contract_id, range, std::nullopt, b, notes));
    c.overlap_source_ticks += a.keys.size();
    c.overlap_target_ticks += b.keys.size();
    std::sort(a.keys.begin(), a.keys.end());
    std::sort(b.keys.begin(), b.keys.end());
    std::size_t i = 0, j = 0;
    const auto miss = [&c](const std::string& key, const char* only) {
      if (c.mismatched++ == 0) c.first_mismatch = key + " (only in the " + only + ")";
    };
    while (i < a.keys.size() || j < b.keys.size()) {
      if (j == b.keys.size() || (i < a.keys.size() && a.keys[i] < b.keys[j])) {
        miss(a.keys[i++], "source");
      } else if (i == a.keys.size() || b.keys[j] < a.keys[i]) {
        miss(b.keys[j++], "target");
      } else {
        ++i, ++j;
      }
    }
  }
  return Status::Ok();
}

Result<ContractContinuity> CheckContract(FileSystem& fs, OpenRoot& src, OpenRoot& dst, std::uint32_t cid,
                                         const ContinuityOptions& o, std::vector<std::string>& notes) {
  ContractContinuity c;
  c.contract_id = cid;
  auto last = LastTick(fs, src, cid, notes);
  if (!last.ok()) return last.status();
  auto first = FirstTick(fs, dst, cid, notes);
  if (!first.ok()) return first.status();
  c.source_last = *last;
  c.target_first = *first;
  if (!c.source_last && !c.target_first) {
    c.problem = "no ticks in either storage root";
    return c;
  }
  if (!c.source_last) {
    c.problem = "no ticks in the source storage " + src.root + ": nothing to continue from";
    return c;
  }
  if (!c.target_first) {
    c.problem = "no ticks in the target storage " + dst.root + " (is the target recording this contract?)";
    return c;
  }
  if (*c.target_first > *c.source_last) {
    c.gap = *c.target_first - *c.source_last;
    if (c.gap > o.max_gap) {
      c.problem = "gap of " + Seconds(c.gap) + " between the source's last tick " + FormatIsoTimestamp(*c.source_last) +
                  " and the target's first " + FormatIsoTimestamp(*c.target_first) + " exceeds --max-gap " +
                  GapToleranceText(o.max_gap);
      return c;
    }
    c.ok = true;
    return c;
  }
  c.overlap = *c.source_last - *c.target_first;
  IBR_RETURN_IF_ERROR(CompareOverlap(fs, src, dst, *c.target_first, *c.source_last, o.compare_slice, c, notes));
  if (c.mismatched > 0) {
    c.problem = std::to_string(c.mismatched) + " tick(s) of the overlap " + FormatIsoTimestamp(*c.target_first) +
                " to " + FormatIsoTimestamp(*c.source_last) + " differ between the roots (source " +
                std::to_string(c.overlap_source_ticks) + ", target " + std::to_string(c.overlap_target_ticks) +
                " ticks); first: " + c.first_mismatch;
    return c;
  }
  c.ok = true;
  return c;
}

}  // namespace

Result<ContinuityReport> CheckContinuity(FileSystem& fs, const ContinuityOptions& o, const Clock& clock) {
  auto src = OpenForReading(fs, o.source_root, "source", clock);
  if (!src.ok()) return src.status();
  auto dst = OpenForReading(fs, o.target_root, "target", clock);
  if (!dst.ok()) return dst.status();
  ContinuityReport r;
  r.max_gap = o.max_gap;
  r.source_root = o.source_root;
  r.target_root = o.target_root;
  std::set<std::uint32_t> ids(o.contracts.begin(), o.contracts.end());
  if (ids.empty()) {
    for (const auto& [cid, _] : src->hours) ids.insert(cid);
    for (const auto& [cid, _] : dst->hours) ids.insert(cid);
  }
  for (std::uint32_t cid : ids) {
    auto c = CheckContract(fs, *src, *dst, cid, o, r.notes);
    if (!c.ok()) return c.status();
    r.contracts.push_back(std::move(c).value());
  }
  r.ok = !r.contracts.empty() &&
         std::all_of(r.contracts.begin(), r.contracts.end(), [](const ContractContinuity& c) { return c.ok; });
  if (r.contracts.empty()) r.notes.push_back("neither storage root has tick files: nothing to compare");
  return r;
}

std::string ContinuityJson(const ContinuityReport& r) {
  using nlohmann::ordered_json;
  ordered_json out{{"ok", r.ok}, {"max_gap", GapToleranceText(r.max_gap)}, {"source", r.source_root},
                   {"target", r.target_root}};
  ordered_json list = ordered_json::array();
  for (const auto& c : r.contracts) {
    ordered_json j{{"contract_id", c.contract_id}, {"ok", c.ok}};
    j["source_last_tick"] = c.source_last ? ordered_json(FormatIsoTimestamp(*c.source_last)) : ordered_json(nullptr);
    j["target_first_tick"] = c.target_first ? ordered_json(FormatIsoTimestamp(*c.target_first)) : ordered_json(nullptr);
    j["gap_seconds"] = static_cast<double>(c.gap) / kUsPerSecond;
    j["overlap_seconds"] = static_cast<double>(c.overlap) / kUsPerSecond;
    j["overlap_ticks"] = {{"source", c.overlap_source_ticks}, {"target", c.overlap_target_ticks}};
    j["mismatched"] = c.mismatched;
    if (!c.first_mismatch.empty()) j["first_mismatch"] = c.first_mismatch;
    if (!c.problem.empty()) j["problem"] = c.problem;
    list.push_back(std::move(j));
  }
  out["contracts"] = std::move(list);
  out["notes"] = r.notes;
  return SafeDump(out);
}

std::string ContinuityText(const ContinuityReport& r) {
  std::string out;
  for (const auto& c : r.contracts) {
    out += "contract " + std::to_string(c.contract_id) + ": ";
    if (!c.ok) {
      out += "FAILED: " + c.problem + "\n";
    } else if (c.overlap > 0 || c.overlap_source_ticks > 0) {
      out += "ok: overlap of " + Seconds(c.overlap) + ", " + std::to_string(c.overlap_source_ticks) +
             " tick(s) equal in both roots\n";
    } else {
      out += "ok: gap of " + Seconds(c.gap) + " (at most " + GapToleranceText(r.max_gap) + ")\n";
    }
  }
  for (const auto& n : r.notes) out += "note: " + n + "\n";
  out += r.ok ? "continuity ok: " + r.target_root + " carries on from " + r.source_root + "\n"
              : "continuity FAILED between " + r.source_root + " and " + r.target_root + "\n";
  return out;
}

}  // namespace ibr::migration
