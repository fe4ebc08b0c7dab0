// Setting checks: one function per kind, ranges from the registry entry.
#include "config/setting_check.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <sstream>

#include "common/time_text.h"
#include "config/config_text.h"
#include "config/tracked_contracts.h"

namespace ibr::config {
namespace {

std::string Shown(const Setting& s, const std::string& shown) { return shown.empty() ? s.name : shown; }

// "a|b|c" -> "a, b or c"
std::string ChoiceList(const char* choices) {
  std::vector<std::string> parts;
  std::stringstream in(choices);
  for (std::string p; std::getline(in, p, '|');) parts.push_back(p);
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == parts.size() ? " or " : ", ") + parts[i];
  }
  return out;
}

Status CheckChoice(const Setting& s, std::string_view value, const std::string& shown) {
  std::string v(TrimBlanks(value));
  std::stringstream in(s.choices);
  for (std::string p; std::getline(in, p, '|');) {
    if (p == v) return Status::Ok();
  }
  return InvalidValue(Shown(s, shown), value, ExpectedText(s));
}

Status CheckUrlValue(const Setting& s, std::string_view value, const std::string& shown) {
  std::string v(TrimBlanks(value));
  const bool scheme = v.starts_with("http://") || v.starts_with("https://");
  const std::size_t sep = v.find("://");
  std::string_view rest = std::string_view(v).substr(sep == std::string::npos ? 0 : sep + 3);
  if (!IsPlainText(v) || !scheme || rest.empty() || rest.front() == '/' || v.find_first_of(" \t") != std::string::npos) {
    return InvalidValue(Shown(s, shown), value, ExpectedText(s));
  }
  return Status::Ok();
}

Status CheckHostValue(const Setting& s, std::string_view value, const std::string& shown) {
  std::string v(TrimBlanks(value));
  if (v.empty() || !IsPlainText(v) || v.find_first_of(" \t/") != std::string::npos) {
    return InvalidValue(Shown(s, shown), value, ExpectedText(s));
  }
  return Status::Ok();
}

Status CheckApiKeyValue(const Setting& s, std::string_view key, const std::string& shown) {
  // The value is a secret: the message never shows it.
  const std::string name = Shown(s, shown);
  if (key.size() < 8) {
    return Status::InvalidArgument(name + " is not valid (value not shown): expected at least 8 characters");
  }
  for (unsigned char c : key) {
    if (c <= 0x20 || c >= 0x7f) {
      return Status::InvalidArgument(name +
                                     " is not valid (value not shown): expected printable ASCII without spaces (it is "
                                     "sent as the X-API-Key header)");
    }
  }
  return Status::Ok();
}

Status CheckSecretText(const Setting& s, std::string_view value, const std::string& shown) {
  if (IsPlainText(value)) return Status::Ok();
  return Status::InvalidArgument(Shown(s, shown) +
                                 " is not valid (value not shown): expected UTF-8 text without control characters");
}

}  // namespace

Status InvalidValue(const std::string& name, std::string_view value, const std::string& expected) {
  return Status::InvalidArgument(name + "='" + Printable(value) + "' is not valid: expected " + expected);
}

std::string ExpectedText(const Setting& s) {
  if (*s.expected) return s.expected;
  switch (s.kind) {
    case SettingKind::kChoice: return ChoiceList(s.choices);
    case SettingKind::kInteger:
      return "a whole number from " + std::to_string(s.min) + " to " + std::to_string(s.max);
    case SettingKind::kNumber: return "a number more than 0 and at most " + std::to_string(s.max);
    case SettingKind::kBool: return "true or false";
    case SettingKind::kDuration: return "seconds or a duration";
    case SettingKind::kPath: return "a directory path in UTF-8 without control characters";
    case SettingKind::kUrl: return "an http:// or https:// URL";
    case SettingKind::kHost: return "an IP address or host name";
    case SettingKind::kContracts: return "id:symbol[:tick;types[:buffer_hours]] items separated by ','";
    case SettingKind::kInstance: return "1 to 100 letters, digits, '-', '_' or '.'";
    case SettingKind::kApiKey: return "at least 8 printable ASCII characters without spaces";
    case SettingKind::kDsn: return "a libpq connection string (host=... dbname=...) or a postgresql:// URI";
    case SettingKind::kSecret: return "UTF-8 text without control characters";
  }
  return "";
}

Result<long long> IntegerValue(const Setting& s, std::string_view value, const std::string& shown) {
  std::string_view t = TrimBlanks(value);
  long long n = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
  if (ec != std::errc() || p != t.data() + t.size() || t.empty() || n < s.min || n > s.max) {
    return InvalidValue(Shown(s, shown), value, ExpectedText(s));
  }
  return n;
}

Result<double> NumberValue(const Setting& s, std::string_view value, const std::string& shown) {
  std::string_view t = TrimBlanks(value);
  double r = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), r);
  if (ec != std::errc() || p != t.data() + t.size() || !std::isfinite(r) || r <= 0 ||
      r > static_cast<double>(s.max)) {
    return InvalidValue(Shown(s, shown), value, ExpectedText(s));
  }
  return r;
}

Result<bool> BoolValue(const Setting& s, std::string_view value, const std::string& shown) {
  std::string t(TrimBlanks(value));
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (t == "true" || t == "1" || t == "yes" || t == "on") return true;
  if (t == "false" || t == "0" || t == "no" || t == "off") return false;
  return InvalidValue(Shown(s, shown), value, ExpectedText(s));
}

Result<TimeUs> DurationValue(const Setting& s, std::string_view value, const std::string& shown) {
  // Seconds ("2", "0.5") or a duration ("2s", "1m30s").
  std::string_view t = TrimBlanks(value);
  double secs = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), secs);
  TimeUs us = -1;
  if (ec == std::errc() && p == t.data() + t.size() && std::isfinite(secs) && std::fabs(secs) < 1e12) {
    us = static_cast<TimeUs>(std::llround(secs * kUsPerSecond));
  } else if (auto d = ParseDuration(t); d.ok()) {
    us = *d;
  }
  if (us < s.min * 1000 || us > s.max * 1000) return InvalidValue(Shown(s, shown), value, ExpectedText(s));
  return us;
}

Status CheckSetting(const Setting& s, std::string_view value, const std::string& shown) {
  switch (s.kind) {
    case SettingKind::kChoice: return CheckChoice(s, value, shown);
    case SettingKind::kInteger: return IntegerValue(s, value, shown).status();
    case SettingKind::kNumber: return NumberValue(s, value, shown).status();
    case SettingKind::kBool: return BoolValue(s, value, shown).status();
    case SettingKind::kDuration: return DurationValue(s, value, shown).status();
    case SettingKind::kPath: return CheckStoragePath(Shown(s, shown), value);
    case SettingKind::kUrl: return CheckUrlValue(s, value, shown);
    case SettingKind::kHost: return CheckHostValue(s, value, shown);
    case SettingKind::kContracts: return ParseTrackedContracts(value, Shown(s, shown)).status();
    case SettingKind::kInstance: return CheckInstanceName(Shown(s, shown), TrimBlanks(value));
    case SettingKind::kApiKey: return CheckApiKeyValue(s, value, shown);
    case SettingKind::kDsn:
    case SettingKind::kSecret: return CheckSecretText(s, value, shown);
  }
  return Status::Ok();
}

}  // namespace ibr::config
