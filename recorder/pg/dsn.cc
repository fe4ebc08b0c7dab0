#include "pg/dsn.h"

#include <cctype>

namespace ibr::pg {

namespace {

constexpr std::string_view kMask = "*****";

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// Masks "password = value" (key=value form, or ?password= in URIs): value is
// '...' with \-escapes, or runs to whitespace / '&'.
std::string MaskKeyValues(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  constexpr std::string_view kKey = "password";
  while (i < s.size()) {
    bool at_key = i + kKey.size() <= s.size() && IEquals(s.substr(i, kKey.size()), kKey) &&
                  (i == 0 || !(std::isalnum(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '_'));
    if (!at_key) {
      out.push_back(s[i++]);
      continue;
    }
    std::size_t j = i + kKey.size();
    while (j < s.size() && s[j] == ' ') ++j;
    if (j >= s.size() || s[j] != '=') {
      out.push_back(s[i++]);
      continue;
    }
    ++j;
    while (j < s.size() && s[j] == ' ') ++j;
    out.append(s.substr(i, j - i));
    if (j < s.size() && s[j] == '\'') {
      ++j;
      while (j < s.size() && s[j] != '\'') j += (s[j] == '\\' && j + 1 < s.size()) ? 2 : 1;
      if (j < s.size()) ++j;
    } else {
      while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j])) && s[j] != '&') ++j;
    }
    out.append(kMask);
    i = j;
  }
  return out;
}

// Masks the password of "scheme://user:password@host".
std::string MaskUriUserInfo(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t p = s.find("://", i);
    if (p == std::string_view::npos) break;
    std::size_t start = p + 3;
    std::size_t end = start;
    while (end < s.size() && s[end] != '/' && s[end] != '@' && !std::isspace(static_cast<unsigned char>(s[end]))) ++end;
    // userinfo ends at the last '@' before '/', whitespace or the end
    std::size_t at = std::string_view::npos;
    for (std::size_t k = start; k < s.size() && s[k] != '/' && !std::isspace(static_cast<unsigned char>(s[k])); ++k) {
      if (s[k] == '@') at = k;
    }
    out.append(s.substr(i, start - i));
    if (at != std::string_view::npos) {
      std::size_t colon = s.find(':', start);
      if (colon != std::string_view::npos && colon < at) {
        out.append(s.substr(start, colon + 1 - start));
        out.append(kMask);
        out.append(s.substr(at, 1));
        i = at + 1;
        continue;
      }
    }
    i = start;
  }
  out.append(s.substr(i));
  return out;
}

}  // namespace

std::string MaskSecrets(std::string_view text) { return MaskKeyValues(MaskUriUserInfo(text)); }

std::string DescribeDsn(std::string_view dsn) {
  if (dsn.empty()) return "(PG* environment)";
  return MaskSecrets(dsn);
}

}  // namespace ibr::pg
