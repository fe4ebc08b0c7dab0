// Shared by the federation tests: the contract they use and times on the
// scenario day (2025-03-10, UTC) written as "HH:MM" or "HH:MM:SS".
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "common/time_text.h"

namespace ibr::federation::test_util {

inline constexpr std::uint32_t kMnq = 711280073;

inline TimeUs T(const std::string& hhmm) {
  auto t = ParseIsoTimestamp("2025-03-10T" + hhmm + "Z");
  EXPECT_TRUE(t.has_value()) << hhmm;
  return t.value_or(0);
}

}  // namespace ibr::federation::test_util
