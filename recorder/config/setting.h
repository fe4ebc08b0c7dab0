// Setting: the description of one configuration variable — name, kind,
// default (possibly per environment), valid range, whether it is a secret,
// which programs read it, one line of documentation. The registry
// (settings_registry.h) holds one per variable. Plain data, any thread.
#pragma once

#include <string>

namespace ibr::config {

enum class SettingKind {
  kChoice,     // one of `choices` ("a|b|c")
  kInteger,    // a whole number in [min, max]
  kNumber,     // a decimal number in (0, max]
  kBool,       // true/false, 1/0, yes/no, on/off
  kDuration,   // seconds ("2", "0.5") or a duration ("5s", "1m30s"), in [min, max] milliseconds
  kPath,       // a directory path (UTF-8, no control characters)
  kUrl,        // an http:// or https:// URL
  kHost,       // an IP address or a host name to listen on
  kContracts,  // id:symbol[:tick;types[:buffer_hours]],...
  kInstance,   // an instance name
  kApiKey,     // the X-API-Key secret
  kDsn,        // a libpq connection string or URI (its password is a secret)
  kSecret,     // a password
};

enum Program : unsigned { kRecorder = 1, kSync = 2, kBoth = 3 };

struct Setting {
  const char* name;
  SettingKind kind;
  unsigned programs;          // Program bits: who reads it
  const char* default_text;   // "" = none; tokens {environment} {hostname} {upstream_port} {recorder_port} {client_id} {PORT}
  long long min = 0, max = 0;  // kInteger: the range; kDuration: milliseconds; kNumber: max only
  const char* choices = "";    // kChoice: "sse|sim|http"
  const char* expected = "";   // what a valid value looks like, for messages (derived from the kind when empty)
  const char* doc = "";        // one line of documentation
  const char* flag = "";       // the command-line option that overrides it ("--storage"), if any
  bool empty_is_value = false; // an empty value is a value, not "unset" (tracked contracts: none)
  bool secret() const { return kind == SettingKind::kApiKey || kind == SettingKind::kSecret || kind == SettingKind::kDsn; }
  bool reads(Program p) const { return (programs & p) != 0; }
};

}  // namespace ibr::config
