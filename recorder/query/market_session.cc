// Market sessions through Howard Hinnant's date/tz (OS tz database).
#include "query/market_session.h"

#include <date/date.h>
#include <date/tz.h>

#include <array>
#include <chrono>
#include <exception>
#include <optional>

#include "common/time_text.h"

namespace ibr::query {
namespace {

struct SessionDef {
  Market market;
  SessionType type;
  int start_minute;  // local minutes after midnight of the start day
  int end_minute;    // local minutes after midnight of the session date
  bool starts_previous_day;
};

constexpr int Hm(int h, int m) { return h * 60 + m; }

constexpr std::array<SessionDef, 10> kSessions{{
    {Market::kUS, SessionType::kPreMarket, Hm(4, 0), Hm(9, 30), false},
    {Market::kUS, SessionType::kRegular, Hm(9, 30), Hm(16, 0), false},
    {Market::kUS, SessionType::kAfterHours, Hm(16, 0), Hm(20, 0), false},
    {Market::kUS, SessionType::kExtended, Hm(4, 0), Hm(20, 0), false},
    {Market::kUS, SessionType::kOvernight, Hm(20, 0), Hm(4, 0), true},
    {Market::kUK, SessionType::kRegular, Hm(8, 0), Hm(16, 30), false},
    {Market::kUK, SessionType::kExtended, Hm(7, 0), Hm(17, 30), false},
    {Market::kJP, SessionType::kMorning, Hm(9, 0), Hm(11, 30), false},
    {Market::kJP, SessionType::kAfternoon, Hm(12, 30), Hm(15, 0), false},
    {Market::kJP, SessionType::kRegular, Hm(9, 0), Hm(15, 0), false},
}};

constexpr std::array<SessionType, 7> kAllTypes{
    SessionType::kPreMarket, SessionType::kRegular,  SessionType::kAfterHours, SessionType::kExtended,
    SessionType::kOvernight, SessionType::kMorning, SessionType::kAfternoon};

const SessionDef* FindSession(Market m, SessionType t) {
  for (const auto& s : kSessions) {
    if (s.market == m && s.type == t) return &s;
  }
  return nullptr;
}

std::string ValidSessionTypes(Market m) {
  std::string out;
  for (const auto& s : kSessions) {
    if (s.market != m) continue;
    if (!out.empty()) out += ", ";
    out += SessionTypeName(s.type);
  }
  return out;
}

// The zone of a market, located once (locate_zone loads the database on first use).
Result<const date::time_zone*> Zone(Market m) {
  struct Zones {
    std::array<const date::time_zone*, 3> zones{};
    std::string error;
  };
  static const Zones kZones = [] {
    Zones z;
    for (int i = 0; i < 3; ++i) {
      auto name = MarketTimeZone(static_cast<Market>(i));
      try {
        z.zones[static_cast<size_t>(i)] = date::locate_zone(name);
      } catch (const std::exception& e) {
        z.error = "time zone " + std::string(name) + " not found in the OS tz database (" + e.what() +
                  "): install the tzdata package";
      }
    }
    return z;
  }();
  const auto* zone = kZones.zones[static_cast<size_t>(m)];
  if (zone == nullptr) return Status::FailedPrecondition(kZones.error);
  return zone;
}

date::local_days ToLocalDays(const LocalDate& d) {
  return date::local_days{date::year{d.year} / date::month{d.month} / date::day{d.day}};
}

LocalDate FromLocalDays(date::local_days ld) {
  date::year_month_day ymd{ld};
  return LocalDate{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                   static_cast<unsigned>(ymd.day())};
}

bool IsWeekday(date::local_days ld) {
  date::weekday wd{ld};
  return wd != date::Saturday && wd != date::Sunday;
}

TimeUs LocalToUtc(const date::time_zone* zone, date::local_days day, int minutes) {
  auto lt = day + std::chrono::minutes{minutes};
  // Sessions never start in a DST gap or fold (transitions are at 01:00-02:00
  // local); `earliest` makes any such case well defined anyway.
  auto sys = zone->to_sys(lt, date::choose::earliest);
  return std::chrono::duration_cast<std::chrono::microseconds>(sys.time_since_epoch()).count();
}

Result<date::local_days> MarketLocalDays(Market m, TimeUs t) {
  auto zone = Zone(m);
  if (!zone.ok()) return zone.status();
  date::sys_time<std::chrono::microseconds> sys{std::chrono::microseconds{t}};
  auto local = (*zone)->to_local(sys);
  return date::floor<date::days>(local);
}

TimeRange Bounds(const date::time_zone* zone, const SessionDef& def, date::local_days day) {
  auto start_day = def.starts_previous_day ? day - date::days{1} : day;
  return TimeRange{LocalToUtc(zone, start_day, def.start_minute), LocalToUtc(zone, day, def.end_minute)};
}

// Most recent first: sessions of `def` on trading days whose start <= now.
std::vector<TimeRange> StartedSessions(const date::time_zone* zone, const SessionDef& def, int n, TimeUs now,
                                       date::local_days today) {
  std::vector<TimeRange> out;
  // The overnight session of tomorrow may already have started tonight.
  for (auto day = today + date::days{1}; static_cast<int>(out.size()) < n; day -= date::days{1}) {
    if (!IsWeekday(day)) continue;
    TimeRange r = Bounds(zone, def, day);
    if (r.start <= now) out.push_back(r);
  }
  return out;
}

}  // namespace

std::string_view MarketName(Market m) {
  switch (m) {
    case Market::kUS: return "US";
    case Market::kUK: return "UK";
    case Market::kJP: return "JP";
  }
  return "?";
}

std::string_view MarketTimeZone(Market m) {
  switch (m) {
    case Market::kUS: return "America/New_York";
    case Market::kUK: return "Europe/London";
    case Market::kJP: return "Asia/Tokyo";
  }
  return "UTC";
}

Result<Market> ParseMarket(std::string_view s) {
  std::string up(s);
  for (char& c : up) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  for (Market m : {Market::kUS, Market::kUK, Market::kJP}) {
    if (up == MarketName(m)) return m;
  }
  return Status::InvalidArgument("unknown market '" + std::string(s) + "' (valid: US, UK, JP)");
}

std::string_view SessionTypeName(SessionType t) {
  switch (t) {
    case SessionType::kPreMarket: return "pre_market";
    case SessionType::kRegular: return "regular";
    case SessionType::kAfterHours: return "after_hours";
    case SessionType::kExtended: return "extended";
    case SessionType::kOvernight: return "overnight";
    case SessionType::kMorning: return "morning";
    case SessionType::kAfternoon: return "afternoon";
  }
  return "?";
}

Result<SessionType> ParseSessionType(Market m, std::string_view s) {
  for (SessionType t : kAllTypes) {
    if (s == SessionTypeName(t) && FindSession(m, t) != nullptr) return t;
  }
  return Status::InvalidArgument("unknown session type '" + std::string(s) + "' for market " +
                                 std::string(MarketName(m)) + " (valid: " + ValidSessionTypes(m) + ")");
}

Result<LocalDate> ParseLocalDate(std::string_view s) {
  auto bad = Status::InvalidArgument("invalid date '" + std::string(s) + "' (expected YYYY-MM-DD)");
  if (s.size() != 10) return bad;
  auto t = ParseIsoTimestamp(s);  // validates digits, month and day ranges, leap years
  if (!t) return bad;
  int y;
  unsigned m, d;
  CivilFromDays(*t / kUsPerDay - (*t % kUsPerDay < 0 ? 1 : 0), y, m, d);
  return LocalDate{y, m, d};
}

std::string FormatLocalDate(const LocalDate& d) {
  return FormatIsoDate(DaysFromCivil(d.year, d.month, d.day) * kUsPerDay);
}

Result<LocalDate> MarketDate(Market m, TimeUs t) {
  auto days = MarketLocalDays(m, t);
  if (!days.ok()) return days.status();
  return FromLocalDays(*days);
}

Result<TimeRange> SessionBounds(Market m, SessionType type, const LocalDate& date) {
  const SessionDef* def = FindSession(m, type);
  if (def == nullptr) {
    return Status::InvalidArgument("market " + std::string(MarketName(m)) + " has no " +
                                   std::string(SessionTypeName(type)) +
                                   " session (valid: " + ValidSessionTypes(m) + ")");
  }
  if (!date::year_month_day{date::year{date.year} / date::month{date.month} / date::day{date.day}}.ok()) {
    return Status::InvalidArgument("invalid date " + std::to_string(date.year) + "-" + std::to_string(date.month) +
                                   "-" + std::to_string(date.day));
  }
  auto zone = Zone(m);
  if (!zone.ok()) return zone.status();
  return Bounds(*zone, *def, ToLocalDays(date));
}

Result<std::vector<TimeRange>> PreviousSessions(Market m, SessionType type, int n, TimeUs now) {
  if (n < 1 || n > 10000) {
    return Status::InvalidArgument("number of previous sessions must be 1..10000, got " + std::to_string(n));
  }
  const SessionDef* def = FindSession(m, type);
  if (def == nullptr) return SessionBounds(m, type, LocalDate{}).status();
  auto zone = Zone(m);
  if (!zone.ok()) return zone.status();
  auto today = MarketLocalDays(m, now);
  if (!today.ok()) return today.status();
  return StartedSessions(*zone, *def, n, now, *today);
}

Result<TimeUs> CurrentSessionStart(Market m, TimeUs now) {
  auto last = PreviousSessions(m, SessionType::kRegular, 1, now);
  if (!last.ok()) return last.status();
  return last->front().start;
}

}  // namespace ibr::query
