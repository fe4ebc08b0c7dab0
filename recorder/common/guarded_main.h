// GuardedMain: what every program's main() runs its body through, so that no
// exception ends a process with std::terminate (exit 134): one escaping the
// body, or one thrown on another thread, is printed as
// "<program>: internal error: <what>" and the process exits 1. Main thread.
#pragma once

#include <functional>

namespace ibr {

int GuardedMain(const char* program, const std::function<int()>& body);

}  // namespace ibr
