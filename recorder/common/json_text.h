// SafeDump: the one way this code base turns a nlohmann JSON value into text.
// nlohmann's plain dump() throws type_error 316 on a string that is not valid
// UTF-8 (a file name, a storage path, an environment value, a libpq message),
// which ended processes with std::terminate; SafeDump writes U+FFFD for each
// invalid byte instead and never throws. Pure function; any thread.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace ibr {

// j.dump(indent) with invalid UTF-8 replaced. For nlohmann::json and ordered_json.
template <typename BasicJson>
std::string SafeDump(const BasicJson& j, int indent = -1) {
  return j.dump(indent, ' ', false, BasicJson::error_handler_t::replace);
}

}  // namespace ibr
