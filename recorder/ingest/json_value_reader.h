// JSON value readers for the v2 decoder: read one simdjson on-demand value
// into a typed slot that remembers what was there (absent, null, right type,
// wrong type), validating every byte so malformed JSON is always an error.
// Internal to ingest/ (only v2_decoder.cc includes it); header-only so the
// hot path inlines. Stateless functions; any thread with its own parser.
#pragma once

#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace ibr::ingest {

enum class Num : std::uint8_t { kAbsent, kNull, kOk, kNotNumber, kNotFinite };
struct NumSlot {
  Num state = Num::kAbsent;
  double value = 0;
  std::string_view raw;  // kNotNumber / kNotFinite: the offending token
};

enum class Str : std::uint8_t { kAbsent, kNull, kOk, kOther };
struct StrSlot {
  Str state = Str::kAbsent;
  std::string_view text;  // kOk: unescaped text; kOther: the raw token
  bool unescaped = false;  // kOk: text came through escapes (only then can it hold a control character)
};

// Optional tick fields: absent or null means "not given"; any other value must
// be usable (kOk), else the tick is rejected naming the field (kBad: wrong type
// or not a whole number; kOutOfRange: a number beyond the field's integer type).
enum class Opt : std::uint8_t { kAbsent, kNull, kOk, kBad, kOutOfRange };
struct UintSlot {
  Opt state = Opt::kAbsent;
  std::uint64_t value = 0;
  std::string_view raw;  // the token as written
};
struct IntSlot {
  Opt state = Opt::kAbsent;
  std::int64_t value = 0;
  std::string_view raw;
};
struct BoolSlot {
  Opt state = Opt::kAbsent;
  bool value = false;
  std::string_view raw;
};
// "conditions" (its items go to a vector the caller keeps).
struct ConditionsSlot {
  Opt state = Opt::kAbsent;
  bool unescaped = false;  // some element came through escapes
  std::string_view raw;    // kBad: the offending value or element
};

enum class Id : std::uint8_t { kAbsent, kNull, kOk, kBad };
struct IdSlot {
  Id state = Id::kAbsent;
  std::uint32_t value = 0;
  std::string_view raw;  // kBad: the offending token or text
};

namespace json_detail {

inline std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
inline bool IsJsonNumber(std::string_view s) {
  std::size_t i = 0, n = s.size();
  auto digits = [&] {
    std::size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < n && s[i] == '-') ++i;
  if (i < n && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

inline bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

inline std::string_view RawToken(simdjson::ondemand::value& v) { return TrimRight(v.raw_json_token()); }

}  // namespace json_detail

// A string value's text. Fast path: stage 1 already checked quotes, UTF-8 and
// control characters, so a token without '\\' is its own text (a view into the
// line, no copy). Otherwise simdjson unescapes (and validates the escapes).
// *unescaped (when given) says whether the slow path ran.
inline simdjson::error_code GetString(simdjson::ondemand::value& v, std::string_view& out,
                                      bool* unescaped = nullptr) {
  std::string_view raw = json_detail::RawToken(v);
  const bool plain = raw.size() >= 2 && raw.front() == '"' && raw.back() == '"' &&
                     raw.find('\\') == std::string_view::npos;
  if (unescaped) *unescaped = !plain;
  if (plain) {
    out = raw.substr(1, raw.size() - 2);
    return simdjson::SUCCESS;
  }
  return v.get_string().get(out);
}

// A field's key, with the same fast path as GetString.
inline simdjson::error_code GetKey(simdjson::ondemand::field& field, std::string_view& out) {
  const char* p = field.key().raw();  // just after the opening quote
  std::size_t n = 0;
  while (p[n] != '"' && p[n] != '\\') ++n;  // a valid key always ends in '"'
  if (p[n] == '"') {
    out = std::string_view(p, n);
    return simdjson::SUCCESS;
  }
  return field.unescaped_key().get(out);
}

// Deepest nesting SkipValue validates; deeper is an error (DEPTH_ERROR), which
// bounds the recursion (a 64 KiB line could nest 32,000 levels deep).
constexpr int kMaxSkipDepth = 64;

inline simdjson::error_code SkipValue(simdjson::ondemand::value& v, int depth = 0);

// Calls fn(key, value) for every field of `obj`; fn returns an error_code.
template <typename Fn>
simdjson::error_code ForEachField(simdjson::ondemand::object& obj, Fn&& fn) {
  for (auto field_result : obj) {
    simdjson::ondemand::field field;
    SIMDJSON_TRY(std::move(field_result).get(field));
    std::string_view key;
    SIMDJSON_TRY(GetKey(field, key));
    SIMDJSON_TRY(fn(key, field.value()));
  }
  return simdjson::SUCCESS;
}

// ForEachField over `v` when it is an object (*is_object = true); any other
// value is validated and skipped (*is_object = false).
template <typename Fn>
simdjson::error_code ForEachFieldIfObject(simdjson::ondemand::value& v, bool* is_object, Fn&& fn) {
  simdjson::ondemand::json_type t;
  SIMDJSON_TRY(v.type().get(t));
  *is_object = t == simdjson::ondemand::json_type::object;
  if (!*is_object) return SkipValue(v);
  simdjson::ondemand::object obj;
  SIMDJSON_TRY(v.get_object().get(obj));
  return ForEachField(obj, fn);
}

// Calls fn(element) for every element of `arr`; fn returns an error_code.
template <typename Fn>
simdjson::error_code ForEachElement(simdjson::ondemand::array& arr, Fn&& fn) {
  for (auto element_result : arr) {
    simdjson::ondemand::value element;
    SIMDJSON_TRY(std::move(element_result).get(element));
    SIMDJSON_TRY(fn(element));
  }
  return simdjson::SUCCESS;
}

// Validates a value nobody needs (any type, up to kMaxSkipDepth deep) and
// moves past it.
inline simdjson::error_code SkipValue(simdjson::ondemand::value& v, int depth) {
  namespace od = simdjson::ondemand;
  od::json_type t;
  SIMDJSON_TRY(v.type().get(t));
  switch (t) {
    case od::json_type::object: {
      if (depth >= kMaxSkipDepth) return simdjson::DEPTH_ERROR;
      od::object obj;
      SIMDJSON_TRY(v.get_object().get(obj));
      return ForEachField(obj, [depth](std::string_view, od::value& field) { return SkipValue(field, depth + 1); });
    }
    case od::json_type::array: {
      if (depth >= kMaxSkipDepth) return simdjson::DEPTH_ERROR;
      od::array arr;
      SIMDJSON_TRY(v.get_array().get(arr));
      return ForEachElement(arr, [depth](od::value& element) { return SkipValue(element, depth + 1); });
    }
    case od::json_type::number: {
      double d;
      auto e = v.get_double().get(d);
      // simdjson refuses numbers beyond double range; they are still JSON.
      if (e == simdjson::NUMBER_ERROR && json_detail::IsJsonNumber(json_detail::RawToken(v))) {
        return simdjson::SUCCESS;
      }
      return e;
    }
    case od::json_type::string: {
      std::string_view s;
      return GetString(v, s);
    }
    case od::json_type::boolean: {
      bool b;
      return v.get_bool().get(b);
    }
    case od::json_type::null: {
      bool is_null = false;
      SIMDJSON_TRY(v.is_null().get(is_null));
      return is_null ? simdjson::SUCCESS : simdjson::TAPE_ERROR;
    }
  }
  return simdjson::TAPE_ERROR;
}

inline simdjson::error_code ReadNumber(simdjson::ondemand::value& v, NumSlot& slot) {
  namespace od = simdjson::ondemand;
  od::json_type t;
  SIMDJSON_TRY(v.type().get(t));
  if (t == od::json_type::number) {
    double d;
    auto e = v.get_double().get(d);
    if (e == simdjson::SUCCESS) {
      slot.value = d;
      slot.state = std::isfinite(d) ? Num::kOk : Num::kNotFinite;
      if (slot.state == Num::kNotFinite) slot.raw = json_detail::RawToken(v);
      return simdjson::SUCCESS;
    }
    std::string_view raw = json_detail::RawToken(v);
    if (e == simdjson::NUMBER_ERROR && json_detail::IsJsonNumber(raw)) {
      slot.state = Num::kNotFinite;  // e.g. 1e999: valid JSON, overflows a double
      slot.raw = raw;
      return simdjson::SUCCESS;
    }
    return e;
  }
  slot.state = t == od::json_type::null ? Num::kNull : Num::kNotNumber;
  slot.raw = json_detail::RawToken(v);
  return SkipValue(v);
}

inline simdjson::error_code ReadString(simdjson::ondemand::value& v, StrSlot& slot) {
  namespace od = simdjson::ondemand;
  od::json_type t;
  SIMDJSON_TRY(v.type().get(t));
  if (t == od::json_type::string) {
    slot.state = Str::kOk;
    return GetString(v, slot.text, &slot.unescaped);
  }
  slot.state = t == od::json_type::null ? Str::kNull : Str::kOther;
  slot.text = json_detail::RawToken(v);
  return SkipValue(v);
}

// Contract id: a JSON integer, a whole double, or a string of digits; must be
// 1..4294967295. Anything else present is kBad.
inline simdjson::error_code ReadContractId(simdjson::ondemand::value& v, IdSlot& slot) {
  namespace od = simdjson::ondemand;
  od::json_type t;
  SIMDJSON_TRY(v.type().get(t));
  std::optional<std::uint32_t> id;
  switch (t) {
    case od::json_type::number: {
      slot.raw = json_detail::RawToken(v);
      double d;
      auto e = v.get_double().get(d);
      if (e == simdjson::NUMBER_ERROR && json_detail::IsJsonNumber(slot.raw)) {
        slot.state = Id::kBad;
        return simdjson::SUCCESS;
      }
      if (e) return e;
      if (json_detail::AllDigits(slot.raw)) {
        // Exact for any length, unlike the double.
        std::uint64_t u = 0;
        bool overflow = false;
        for (char c : slot.raw) {
          u = u * 10 + static_cast<std::uint64_t>(c - '0');
          if (u > 0xFFFFFFFFull) overflow = true;
          if (overflow) break;
        }
        if (!overflow && u >= 1) id = static_cast<std::uint32_t>(u);
      } else if (d >= 1 && d <= 4294967295.0 && std::floor(d) == d) {
        id = static_cast<std::uint32_t>(d);
      }
      break;
    }
    case od::json_type::string: {
      std::string_view s;
      SIMDJSON_TRY(GetString(v, s));
      slot.raw = s;
      if (s.size() <= 10 && json_detail::AllDigits(s)) {
        std::uint64_t u = 0;
        for (char c : s) u = u * 10 + static_cast<std::uint64_t>(c - '0');
        if (u >= 1 && u <= 0xFFFFFFFFull) id = static_cast<std::uint32_t>(u);
      }
      break;
    }
    case od::json_type::null:
      slot.state = Id::kNull;
      return SkipValue(v);
    default:
      slot.raw = json_detail::RawToken(v);
      slot.state = Id::kBad;
      return SkipValue(v);
  }
  slot.state = id ? Id::kOk : Id::kBad;
  slot.value = id.value_or(0);
  return simdjson::SUCCESS;
}

// Whole doubles up to 2^53 are exact; beyond that a double is no integer we can trust.
constexpr double kMaxExactDouble = 9007199254740992.0;

// The integer readers' shared shape: null is kNull, other non-numbers kBad
// (validated and skipped); a number `exact` reads (get_uint64 / get_int64) is
// kOk, else `from_double` classifies its double (nullopt: beyond double range,
// e.g. 1e999). A malformed number is an error (bad_json).
template <typename Slot, typename Exact, typename FromDouble>
simdjson::error_code ReadInteger(simdjson::ondemand::value& v, Slot& slot, Exact exact, FromDouble from_double) {
  namespace od = simdjson::ondemand;
  od::json_type t;
  SIMDJSON_TRY(v.type().get(t));
  if (t == od::json_type::number && exact(v, slot.value) == simdjson::SUCCESS) {  // the common case
    slot.state = Opt::kOk;
    return simdjson::SUCCESS;
  }
  slot.raw = json_detail::RawToken(v);
  if (t != od::json_type::number) {
    slot.state = t == od::json_type::null ? Opt::kNull : Opt::kBad;
    return SkipValue(v);
  }
  double d;
  auto e = v.get_double().get(d);
  if (e == simdjson::NUMBER_ERROR && json_detail::IsJsonNumber(slot.raw)) {
    from_double(std::optional<double>(), slot);
    return simdjson::SUCCESS;
  }
  if (e) return e;
  from_double(std::optional<double>(d), slot);
  return simdjson::SUCCESS;
}

// "sequence": a JSON integer 0..2^64-1, or a whole double 0..2^53 (5.0).
// Negative, fractional, larger or non-number values are kBad.
inline simdjson::error_code ReadUnsigned(simdjson::ondemand::value& v, UintSlot& slot) {
  return ReadInteger(
      v, slot, [](simdjson::ondemand::value& x, std::uint64_t& u) { return x.get_uint64().get(u); },
      [](std::optional<double> d, UintSlot& s) {
        const bool whole = d && *d >= 0 && *d <= kMaxExactDouble && std::floor(*d) == *d;
        s.state = whole ? Opt::kOk : Opt::kBad;
        s.value = whole ? static_cast<std::uint64_t>(*d) : 0;
      });
}

// "unix_time": a JSON integer or a whole double (seconds). Fractional or
// non-number values are kBad; numbers beyond int64 (1e20) kOutOfRange.
inline simdjson::error_code ReadWholeSeconds(simdjson::ondemand::value& v, IntSlot& slot) {
  return ReadInteger(
      v, slot, [](simdjson::ondemand::value& x, std::int64_t& i) { return x.get_int64().get(i); },
      [](std::optional<double> d, IntSlot& s) {
        if (d && std::floor(*d) != *d) {
          s.state = Opt::kBad;
        } else if (!d || *d < -9.0e18 || *d > 9.0e18) {
          s.state = Opt::kOutOfRange;
        } else {
          s.state = Opt::kOk;
          s.value = static_cast<std::int64_t>(*d);
        }
      });
}

inline simdjson::error_code ReadFlag(simdjson::ondemand::value& v, BoolSlot& slot) {
  namespace od = simdjson::ondemand;
  od::json_type t;
  SIMDJSON_TRY(v.type().get(t));
  if (t == od::json_type::boolean) {
    slot.state = Opt::kOk;
    return v.get_bool().get(slot.value);
  }
  slot.raw = json_detail::RawToken(v);
  slot.state = t == od::json_type::null ? Opt::kNull : Opt::kBad;
  return SkipValue(v);
}

// "conditions": a string (one condition unless empty) or an array of strings
// (null elements skipped). Any other value, or an element of another type, is kBad.
// Appends views to `items` (cleared first).
inline simdjson::error_code ReadConditions(simdjson::ondemand::value& v, ConditionsSlot& slot,
                                           std::vector<std::string_view>& items) {
  namespace od = simdjson::ondemand;
  od::json_type t;
  SIMDJSON_TRY(v.type().get(t));
  items.clear();
  slot.unescaped = false;
  if (t == od::json_type::string) {
    slot.state = Opt::kOk;
    std::string_view s;
    SIMDJSON_TRY(GetString(v, s, &slot.unescaped));
    if (!s.empty()) items.push_back(s);
    return simdjson::SUCCESS;
  }
  if (t != od::json_type::array) {
    slot.state = t == od::json_type::null ? Opt::kNull : Opt::kBad;
    slot.raw = json_detail::RawToken(v);
    return SkipValue(v);
  }
  slot.state = Opt::kOk;
  od::array arr;
  SIMDJSON_TRY(v.get_array().get(arr));
  return ForEachElement(arr, [&slot, &items](od::value& element) {
    od::json_type et;
    SIMDJSON_TRY(element.type().get(et));
    if (et != od::json_type::string) {
      if (et != od::json_type::null && slot.state == Opt::kOk) {
        slot.state = Opt::kBad;
        slot.raw = json_detail::RawToken(element);
      }
      return SkipValue(element);
    }
    std::string_view s;
    bool unescaped = false;
    SIMDJSON_TRY(GetString(element, s, &unescaped));
    slot.unescaped = slot.unescaped || unescaped;
    items.push_back(s);
    return simdjson::SUCCESS;
  });
}

}  // namespace ibr::ingest
