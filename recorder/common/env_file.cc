// Env file parsing.
#include "common/env_file.h"

namespace ibr {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsNameChar(char c, bool first) {
  return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
}

// The leading name-like part of a line, for error messages (never the value).
std::string NamePrefix(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && n < 40 && IsNameChar(line[n], n == 0)) ++n;
  return std::string(line.substr(0, n));
}

// Parses the value after '='; `error` set on failure.
std::string ParseValue(std::string_view rest, std::string& error) {
  std::string value;
  if (rest.empty()) return value;
  const char q = rest.front();
  if (q != '"' && q != '\'') {
    for (std::size_t i = 0; i < rest.size(); ++i) {
      if (rest[i] == '#' && i > 0 && IsSpace(rest[i - 1])) return std::string(TrimSpace(rest.substr(0, i)));
    }
    return std::string(rest);
  }
  std::size_t i = 1;
  for (; i < rest.size() && rest[i] != q; ++i) {
    char c = rest[i];
    if (q == '"' && c == '\\' && i + 1 < rest.size()) {
      char n = rest[++i];
      value.push_back(n == 'n' ? '\n' : n == 't' ? '\t' : n);
    } else {
      value.push_back(c);
    }
  }
  if (i >= rest.size()) {
    error = "the value's quote is not closed";
    return {};
  }
  std::string_view after = TrimSpace(rest.substr(i + 1));
  if (!after.empty() && after.front() != '#') error = "unexpected text after the value's closing quote";
  return value;
}

}  // namespace

Result<EnvMap> ParseEnvText(std::string_view text, const std::string& source) {
  EnvMap out;
  int line_no = 0;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = TrimSpace(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    auto fail = [&](const std::string& what) {
      return Status::InvalidArgument(source + " line " + std::to_string(line_no) + ": " + what);
    };
    if (line.starts_with("export") && line.size() > 6 && IsSpace(line[6])) line = TrimSpace(line.substr(6));
    std::size_t eq = line.find('=');
    std::string_view key = TrimSpace(line.substr(0, eq));
    bool valid_key = !key.empty();
    for (std::size_t i = 0; i < key.size(); ++i) valid_key = valid_key && IsNameChar(key[i], i == 0);
    if (eq == std::string_view::npos || !valid_key) {
      return fail("expected KEY=VALUE with KEY made of letters, digits and '_' (line starts '" + NamePrefix(line) +
                  "')");
    }
    std::string error;
    std::string value = ParseValue(TrimSpace(line.substr(eq + 1)), error);
    if (!error.empty()) return fail(error + " (" + std::string(key) + ")");
    out[std::string(key)] = std::move(value);
  }
  return out;
}

Result<EnvMap> ReadEnvFile(FileSystem& fs, const std::string& path) {
  auto text = fs.ReadFile(path);
  if (!text.ok()) return text.status().WithContext("reading env file " + path);
  return ParseEnvText(*text, path);
}

}  // namespace ibr
