// TextRow: one row of column values in PostgreSQL's text form, as COPY and
// bound parameters carry them (nullopt is SQL NULL). Plain data.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ibr::pg {

using TextValue = std::optional<std::string>;
using TextRow = std::vector<TextValue>;

}  // namespace ibr::pg
