// GuardedMain: catch-all around main's body and a terminate handler that exits 1.
#include "common/guarded_main.h"

#include <unistd.h>

#include <cstdio>
#include <exception>
#include <string>

namespace ibr {
namespace {

const char* g_program = "ib-recorder";

void Report(const char* what) {
  std::fprintf(stderr,
               "%s: internal error: %s (this is a bug: please report it with the command that caused it)\n",
               g_program, what);
  std::fflush(stderr);
}

[[noreturn]] void OnTerminate() {
  std::exception_ptr e = std::current_exception();
  std::string what = "terminate called without an active exception";
  if (e) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      what = ex.what();
    } catch (...) {
      what = "an unknown exception";
    }
  }
  Report(what.c_str());
  ::_exit(1);
}

}  // namespace

int GuardedMain(const char* program, const std::function<int()>& body) {
  g_program = program;
  std::set_terminate(OnTerminate);
  try {
    return body();
  } catch (const std::exception& e) {
    Report(e.what());
  } catch (...) {
    Report("an unknown exception");
  }
  return 1;
}

}  // namespace ibr
