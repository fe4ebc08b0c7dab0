// TimeRange: a half-open UTC interval [start, end) of microseconds, the unit
// every query, session and file selection is expressed in. Plain value.
#pragma once

#include "common/clock.h"

namespace ibr::query {

// [start, end): a tick at `end` is outside. start == end is an empty range.
struct TimeRange {
  TimeUs start = 0;
  TimeUs end = 0;
  bool Contains(TimeUs t) const { return t >= start && t < end; }
  bool Empty() const { return start >= end; }
  bool operator==(const TimeRange&) const = default;
};

}  // namespace ibr::query
