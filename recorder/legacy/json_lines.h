// JsonLines: the lines of a .jsonl file the Python ib-stream wrote, with the
// one kind of damage a line file has: a last line cut off mid-write (no
// newline, not a whole JSON value), reported as a torn record. A UTF-8 BOM at
// the start is dropped; blank lines are not records. Pure function.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "legacy/legacy_record.h"

namespace ibr::legacy {

// `on_line(index, text)` for each non-blank line (index: 1-based line number);
// a torn last line goes to `on_torn` instead.
void SplitJsonLines(std::string_view content, const std::function<void(std::uint64_t, std::string_view)>& on_line,
                    const RecordFn& on_torn);

}  // namespace ibr::legacy
