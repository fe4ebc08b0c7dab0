// Resolution of RangeSpec forms into UTC ranges.
#include "query/range_spec.h"

#include <algorithm>
#include <array>
#include <utility>

#include "common/time_text.h"

namespace ibr::query {
namespace {

struct NamedPeriod {
  std::string_view name;
  TimeUs duration;
};

constexpr std::array<NamedPeriod, 10> kPeriods{{
    {"last_minute", kUsPerMinute},
    {"last_5_minutes", 5 * kUsPerMinute},
    {"last_15_minutes", 15 * kUsPerMinute},
    {"last_30_minutes", 30 * kUsPerMinute},
    {"last_hour", kUsPerHour},
    {"last_2_hours", 2 * kUsPerHour},
    {"last_4_hours", 4 * kUsPerHour},
    {"last_day", kUsPerDay},
    {"last_week", 7 * kUsPerDay},
    {"last_month", 30 * kUsPerDay},
}};

using Ranges = Result<std::vector<TimeRange>>;

Ranges One(TimeUs start, TimeUs end) { return std::vector<TimeRange>{TimeRange{start, end}}; }

struct Resolver {
  TimeUs now;

  Ranges operator()(const AbsoluteRange& r) const {
    TimeUs end = r.end.value_or(now);
    if (r.start >= end) {
      std::string msg = "start " + FormatIsoTimestamp(r.start) + " is not before end " + FormatIsoTimestamp(end);
      if (!r.end) msg += " (end defaults to now)";
      return Status::InvalidArgument(msg);
    }
    return One(r.start, end);
  }
  Ranges operator()(const LastDuration& r) const {
    if (r.duration <= 0) return Status::InvalidArgument("duration must be positive");
    return One(now - r.duration, now);
  }
  Ranges operator()(const Today&) const {
    TimeUs midnight = now - (now % kUsPerDay + kUsPerDay) % kUsPerDay;
    return One(midnight, now);
  }
  Ranges operator()(const SinceOpen& r) const {
    auto start = CurrentSessionStart(r.market, now);
    if (!start.ok()) return start.status();
    return One(*start, now);
  }
  Ranges operator()(const SessionOn& r) const {
    LocalDate date;
    if (r.date) {
      date = *r.date;
    } else {
      auto today = MarketDate(r.market, now);
      if (!today.ok()) return today.status();
      date = *today;
    }
    auto bounds = SessionBounds(r.market, r.type, date);
    if (!bounds.ok()) return bounds.status();
    return std::vector<TimeRange>{*bounds};
  }
  Ranges operator()(const PreviousSessionsSpec& r) const {
    auto sessions = PreviousSessions(r.market, r.type, r.n, now);
    if (!sessions.ok()) return sessions.status();
    std::vector<TimeRange> out = std::move(sessions).value();
    std::reverse(out.begin(), out.end());  // oldest first
    return out;
  }
  Ranges operator()(const RelativePeriod& r) const {
    auto d = RelativePeriodDuration(r.name);
    if (!d.ok()) return d.status();
    return One(now - *d, now);
  }
};

}  // namespace

Result<TimeUs> RelativePeriodDuration(std::string_view name) {
  std::string valid;
  for (const auto& p : kPeriods) {
    if (p.name == name) return p.duration;
    if (!valid.empty()) valid += ", ";
    valid += p.name;
  }
  return Status::InvalidArgument("unknown period '" + std::string(name) + "' (valid: " + valid + ")");
}

Result<std::vector<TimeRange>> ResolveRange(const RangeSpec& spec, const Clock& clock) {
  return std::visit(Resolver{clock.Now()}, spec);
}

}  // namespace ibr::query
