// Helpers shared by the config tests: reading a whole file.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace ibr::config {

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace ibr::config
