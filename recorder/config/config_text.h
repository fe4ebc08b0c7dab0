// Text checks at the configuration edge: values from the command line, the
// process environment and env files are outside bytes. These helpers decide
// whether a value is valid UTF-8 without control characters, show any value
// safely in a message, and hold the one instance-name rule (run and ingest).
// Pure functions, any thread.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace ibr::config {

// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates).
bool IsValidUtf8(std::string_view s);
// `s` without leading and trailing spaces and tabs.
std::string_view TrimBlanks(std::string_view s);
// True when `s` is valid UTF-8 without control characters (U+0000-U+001F, U+007F).
bool IsPlainText(std::string_view s);
// `s` with invalid UTF-8 bytes shown as \xHH and control characters as \n,
// \t, \r or \xHH: safe in a message, a log line or JSON.
std::string Printable(std::string_view s);
// `s` with each invalid UTF-8 byte replaced by U+FFFD (for names of files
// that are kept as a record, e.g. an ingested file's name).
std::string ToValidUtf8(std::string_view s);

// InvalidArgument "<variable>='<value>' is not valid: expected <what>, ..." when
// `value` is not valid UTF-8 or holds a control character (U+0000-U+001F, U+007F).
Status CheckPlainText(const std::string& variable, std::string_view value, const std::string& what);
// A storage root: non-empty, valid UTF-8, no control characters.
Status CheckStoragePath(const std::string& variable, std::string_view value);
// An instance name: 1 to 100 letters, digits, '-', '_' or '.' (the one rule
// `run`, `ingest` and `rebuild-catalog` share).
Status CheckInstanceName(const std::string& variable, std::string_view value);

}  // namespace ibr::config
