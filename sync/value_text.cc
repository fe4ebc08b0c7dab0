#include "value_text.h"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "common/json_text.h"
#include "common/time_text.h"

namespace ibr::sync {

std::string FormatReal(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string SanitizeText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c == 0) {
      ++i;
      continue;
    }
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    std::size_t len = (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
    bool ok = len > 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) ok = (p[i + k] & 0xC0) == 0x80;
    if (ok && len == 3) {  // no overlongs, no surrogates
      if (c == 0xE0 && p[i + 1] < 0xA0) ok = false;
      if (c == 0xED && p[i + 1] >= 0xA0) ok = false;
    }
    if (ok && len == 4) {
      if (c == 0xF0 && p[i + 1] < 0x90) ok = false;
      if (c == 0xF4 && p[i + 1] >= 0x90) ok = false;
    }
    if (ok) {
      out.append(reinterpret_cast<const char*>(p + i), len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::string PgArrayLiteral(const std::vector<Value>& elements) {
  std::string out = "{";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i) out.push_back(',');
    if (!elements[i]) {
      out += "NULL";
      continue;
    }
    out.push_back('"');
    for (char c : *elements[i]) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

namespace {

std::string CellText(const Cell& cell) {
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&cell)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&cell)) return FormatReal(*d);
  return "";
}

bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// A JSON array in the catalog -> a PostgreSQL array literal. Lenient: anything
// that is not an array is an empty list; elements that do not fit are skipped.
std::string JsonArrayToPg(const std::string& text, bool integers) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::vector<Value> elements;
  if (j.is_array()) {
    for (const auto& e : j) {
      if (integers) {
        if (e.is_number_integer()) elements.emplace_back(SafeDump(e));
      } else if (e.is_string()) {
        elements.emplace_back(SanitizeText(e.get<std::string>()));
      } else if (!e.is_null()) {
        elements.emplace_back(SanitizeText(SafeDump(e)));
      }
    }
  }
  return PgArrayLiteral(elements);
}

Status BadValue(const ColumnSpec& column, std::string_view what, std::string_view text) {
  return Status::InvalidArgument("column " + column.name + ": " + std::string(what) + " '" +
                                 std::string(text.substr(0, 80)) + "'");
}

}  // namespace

Result<Value> ToPgText(const ColumnSpec& column, const Cell& cell) {
  if (std::holds_alternative<std::monostate>(cell)) {
    if (column.type == ColumnType::kTextArray || column.type == ColumnType::kBigintArray) return Value("{}");
    return Value();
  }
  switch (column.type) {
    case ColumnType::kInt:
      if (const auto* i = std::get_if<std::int64_t>(&cell)) return Value(std::to_string(*i));
      return BadValue(column, "not an integer", CellText(cell));
    case ColumnType::kBool:
      if (const auto* i = std::get_if<std::int64_t>(&cell)) return Value(*i != 0 ? "t" : "f");
      return BadValue(column, "not a 0/1 flag", CellText(cell));
    case ColumnType::kReal:
      if (const auto* d = std::get_if<double>(&cell)) return Value(FormatReal(*d));
      if (const auto* i = std::get_if<std::int64_t>(&cell)) return Value(std::to_string(*i));
      return BadValue(column, "not a number", CellText(cell));
    case ColumnType::kText:
      return Value(SanitizeText(CellText(cell)));
    case ColumnType::kTime: {
      std::string text = CellText(cell);
      auto t = ParseIsoTimestamp(text);
      if (!t) return BadValue(column, "not an ISO-8601 time", text);
      return Value(FormatIsoTimestamp(*t));
    }
    case ColumnType::kDate: {
      std::string text = CellText(cell);
      if (!IsDate(text)) return BadValue(column, "not a YYYY-MM-DD date", text);
      return Value(text);
    }
    case ColumnType::kJson: {
      std::string text = SanitizeText(CellText(cell));
      if (nlohmann::json::accept(text)) return Value(text);
      return Value(SafeDump(nlohmann::json(text)));  // keep what was there, as a JSON string
    }
    case ColumnType::kTextArray:
      return Value(JsonArrayToPg(CellText(cell), false));
    case ColumnType::kBigintArray:
      return Value(JsonArrayToPg(CellText(cell), true));
  }
  return Status::Internal("unknown column type");
}

}  // namespace ibr::sync
