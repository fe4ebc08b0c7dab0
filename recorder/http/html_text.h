// HtmlText: text made safe for HTML element content and attribute values,
// and the human forms the status page shows (bytes, ages). Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace ibr::http {

// & < > " ' escaped.
std::string HtmlEscape(std::string_view s);
// "512 B", "1.5 KiB", "3.2 GiB".
std::string HumanBytes(std::uint64_t n);
// "4 s", "12 min 5 s", "3 h 2 min", "2 d 4 h".
std::string HumanAge(TimeUs d);

}  // namespace ibr::http
