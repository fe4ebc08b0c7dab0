#include "env_file.h"

#include <cctype>

namespace ibr::sync {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool ValidKey(std::string_view k) {
  if (k.empty() || std::isdigit(static_cast<unsigned char>(k[0]))) return false;
  for (char c : k) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

}  // namespace

Result<EnvMap> ParseEnvFile(std::string_view text, const std::string& source) {
  EnvMap out;
  int line_no = 0;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    auto fail = [&](const std::string& what) {
      return Status::InvalidArgument(source + ":" + std::to_string(line_no) + ": " + what);
    };
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.substr(0, 7) == "export " || line.substr(0, 7) == "export\t") line = Trim(line.substr(7));
    std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) return fail("expected KEY=VALUE, got '" + std::string(line.substr(0, 60)) + "'");
    std::string_view key = Trim(line.substr(0, eq));
    if (!ValidKey(key)) return fail("'" + std::string(key) + "' is not a variable name");
    std::string_view rest = Trim(line.substr(eq + 1));
    std::string value;
    if (!rest.empty() && (rest.front() == '"' || rest.front() == '\'')) {
      const char q = rest.front();
      std::size_t i = 1;
      bool closed = false;
      for (; i < rest.size(); ++i) {
        char c = rest[i];
        if (c == q) {
          closed = true;
          break;
        }
        if (q == '"' && c == '\\' && i + 1 < rest.size()) {
          char n = rest[++i];
          value.push_back(n == 'n' ? '\n' : n == 't' ? '\t' : n);
          continue;
        }
        value.push_back(c);
      }
      if (!closed) return fail("unterminated quote in the value of " + std::string(key));
      std::string_view after = Trim(rest.substr(i + 1));
      if (!after.empty() && after.front() != '#') return fail("text after the closing quote of " + std::string(key));
    } else {
      std::size_t hash = rest.find(" #");
      if (hash == std::string_view::npos) hash = rest.find("\t#");
      value = std::string(Trim(rest.substr(0, hash)));
    }
    out[std::string(key)] = std::move(value);
  }
  return out;
}

Result<EnvMap> ReadEnvFile(FileSystem& fs, const std::string& path) {
  auto text = fs.ReadFile(path);
  if (!text.ok()) return Status(text.status()).WithContext("env file " + path);
  return ParseEnvFile(*text, path);
}

}  // namespace ibr::sync
