// Catalog values in PostgreSQL's text form, and PostgreSQL array literals.
//
// The catalog stores times as ISO text, lists as JSON text, booleans as 0/1;
// the central tables use timestamptz, text[]/bigint[], boolean, jsonb. These
// pure functions convert one cell, so malformed catalog text becomes a clear
// error (or, for JSON and free text, a value PostgreSQL accepts) instead of a
// batch that fails forever. Thread-safe (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "batch.h"
#include "common/status.h"
#include "replicated_tables.h"

namespace ibr::sync {

// One SQLite cell as read: NULL, integer, real or text.
using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;

// Converts a cell of `column` to PostgreSQL text (nullopt = NULL). Errors name
// the column and quote the value (a time that does not parse, a bad date).
Result<Value> ToPgText(const ColumnSpec& column, const Cell& cell);

// Shortest text that reads back as the same double; NaN / Infinity as PostgreSQL spells them.
std::string FormatReal(double v);
// Valid UTF-8 without NUL bytes (PostgreSQL text cannot hold either): bad bytes become U+FFFD.
std::string SanitizeText(std::string_view s);
// An array literal: {"a","b",NULL}.
std::string PgArrayLiteral(const std::vector<Value>& elements);

}  // namespace ibr::sync
