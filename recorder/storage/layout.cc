// On-disk names under a storage root.
#include "storage/layout.h"

#include <cstdio>

#include "common/time_text.h"

namespace ibr::storage {

std::string TickFileRelPath(std::uint32_t contract_id, TickType tt, TimeUs hour_bucket, int part, bool sealed) {
  std::int64_t days = hour_bucket / kUsPerDay;
  int y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  int hh = static_cast<int>((hour_bucket % kUsPerDay) / kUsPerHour);
  char buf[160];
  std::string part_text = part > 1 ? ".part" + std::to_string(part) : "";
  std::snprintf(buf, sizeof buf, "protobuf/%u/%s/%04d/%02u/%02u/%02d_ticks%s.pb%s", contract_id,
                std::string(TickTypeName(tt)).c_str(), y, m, d, hh, part_text.c_str(), sealed ? ".lz4" : "");
  return buf;
}

std::optional<TickFileName> ParseTickFileRelPath(std::string_view rel) {
  // protobuf/<cid>/<tt>/YYYY/MM/DD/HH_ticks[.partN].pb[.lz4]
  auto next = [&](std::string_view& out) {
    auto slash = rel.find('/');
    if (slash == std::string_view::npos) return false;
    out = rel.substr(0, slash);
    rel.remove_prefix(slash + 1);
    return true;
  };
  auto number = [](std::string_view s, std::uint64_t& v) {
    if (s.empty() || s.size() > 10) return false;
    v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return true;
  };
  std::string_view top, cid, tt, yy, mm, dd;
  if (!next(top) || top != "protobuf" || !next(cid) || !next(tt) || !next(yy) || !next(mm) || !next(dd)) {
    return std::nullopt;
  }
  TickFileName out;
  std::uint64_t v, y, mo, da, hh;
  if (!number(cid, v) || v == 0 || v > 4294967295ULL) return std::nullopt;
  out.contract_id = static_cast<std::uint32_t>(v);
  auto t = ParseTickTypeName(tt);
  if (!t) return std::nullopt;
  out.tick_type = *t;
  if (yy.size() != 4 || mm.size() != 2 || dd.size() != 2 || !number(yy, y) || !number(mm, mo) ||
      !number(dd, da) || mo < 1 || mo > 12 || da < 1 || da > 31) {
    return std::nullopt;
  }
  std::string_view name = rel;  // HH_ticks[.partN].pb[.lz4]
  if (name.size() < 2 || !number(name.substr(0, 2), hh) || hh > 23) return std::nullopt;
  name.remove_prefix(2);
  if (name.substr(0, 6) != "_ticks") return std::nullopt;
  name.remove_prefix(6);
  if (name.substr(0, 5) == ".part") {
    name.remove_prefix(5);
    auto dot = name.find('.');
    std::uint64_t p;
    if (dot == std::string_view::npos || !number(name.substr(0, dot), p) || p < 2 || p > 100000) return std::nullopt;
    out.part = static_cast<int>(p);
    name.remove_prefix(dot);
  }
  if (name == ".pb") {
    out.sealed = false;
  } else if (name == ".pb.lz4") {
    out.sealed = true;
  } else {
    return std::nullopt;
  }
  out.hour_bucket = DaysFromCivil(static_cast<int>(y), static_cast<unsigned>(mo), static_cast<unsigned>(da)) * kUsPerDay +
                    static_cast<TimeUs>(hh) * kUsPerHour;
  return out;
}

std::string JoinPath(std::string_view root, std::string_view rel) {
  std::string out(root);
  if (!out.empty() && out.back() != '/') out += '/';
  out += rel;
  return out;
}

std::string ProtobufDir(std::string_view root) { return JoinPath(root, "protobuf"); }
std::string MetadataDir(std::string_view root) { return JoinPath(root, "metadata"); }
std::string CatalogPath(std::string_view root) { return JoinPath(root, "metadata/catalog.sqlite"); }
std::string SyncStatePath(std::string_view root) { return JoinPath(root, "metadata/sync-state.json"); }
std::string RejectsPath(std::string_view root, TimeUs day) {
  return JoinPath(root, "rejects/" + FormatIsoDate(day) + ".ndjson");
}
std::string LockPath(std::string_view root) { return JoinPath(root, ".lock"); }

}  // namespace ibr::storage
