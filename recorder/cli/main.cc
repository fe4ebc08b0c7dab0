// ib-recorder entry point: parses nothing itself, hands argv to the CLI module
// (through GuardedMain: an exception is an error message and exit 1, never an abort).
#include "cli/app.h"
#include "common/guarded_main.h"

int main(int argc, char** argv) {
  return ibr::GuardedMain("ib-recorder", [&] { return ibr::cli::RunApp(argc, argv); });
}
