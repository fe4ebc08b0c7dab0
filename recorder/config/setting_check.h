// The one place that validates a setting's value (LevelDB's SanitizeOptions):
// the value's kind and range come from its registry entry. Errors read
// "<name>='<value>' is not valid: expected <what>" (secrets: "value not
// shown"). The typed readers return the parsed value. Pure, any thread.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "config/setting.h"

namespace ibr::config {

// `shown` is the name the message uses ("--port" for a flag); "" = s.name.
Status CheckSetting(const Setting& s, std::string_view value, const std::string& shown = "");

// What a valid value looks like ("a whole number from 1 to 65535").
std::string ExpectedText(const Setting& s);

Result<long long> IntegerValue(const Setting& s, std::string_view value, const std::string& shown = "");
Result<double> NumberValue(const Setting& s, std::string_view value, const std::string& shown = "");
Result<bool> BoolValue(const Setting& s, std::string_view value, const std::string& shown = "");
Result<TimeUs> DurationValue(const Setting& s, std::string_view value, const std::string& shown = "");

// "NAME='value' is not valid: expected <expected>" (the value made printable).
Status InvalidValue(const std::string& name, std::string_view value, const std::string& expected);

}  // namespace ibr::config
