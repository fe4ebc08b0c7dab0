// Config text checks: UTF-8 decoding, escaping for messages, instance names.
#include "config/config_text.h"

#include <cstdint>
#include <cstdio>

namespace ibr::config {
namespace {

// Length of the well-formed UTF-8 sequence at s[i], or 0 when it is not one.
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;  // overlong / too big
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;                                           // surrogate
  return n;
}

std::string Hex(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02X", c);
  return buf;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsPlainText(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) return false;
  }
  return IsValidUtf8(s);
}

std::string Printable(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = Utf8SequenceLength(s, i);
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (n == 0) {
      out += Hex(c);
      ++i;
    } else if (n == 1 && (c < 0x20 || c == 0x7F)) {
      out += c == '\n' ? std::string("\\n") : c == '\t' ? std::string("\\t") : c == '\r' ? std::string("\\r") : Hex(c);
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string ToValidUtf8(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

Status CheckPlainText(const std::string& variable, std::string_view value, const std::string& what) {
  const char* problem = nullptr;
  if (!IsValidUtf8(value)) {
    problem = "it is not valid UTF-8";
  } else {
    for (unsigned char c : value) {
      if (c < 0x20 || c == 0x7F) problem = "it holds a control character";
    }
  }
  if (!problem) return Status::Ok();
  return Status::InvalidArgument(variable + "='" + Printable(value) + "' is not valid: " + problem + "; expected " +
                                 what);
}

Status CheckStoragePath(const std::string& variable, std::string_view value) {
  if (value.empty()) return Status::InvalidArgument(variable + " is empty: expected a directory path");
  return CheckPlainText(variable, value, "a directory path in UTF-8 without control characters");
}

Status CheckInstanceName(const std::string& variable, std::string_view value) {
  bool ok = !value.empty() && value.size() <= 100;
  for (char ch : value) {
    const unsigned char c = static_cast<unsigned char>(ch);
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                c == '.');
  }
  if (ok) return Status::Ok();
  return Status::InvalidArgument(variable + "='" + Printable(value) +
                                 "' is not valid: expected 1 to 100 letters, digits, '-', '_' or '.'");
}

}  // namespace ibr::config
