// ib-sync: replicates a recorder's SQLite catalog into the central PostgreSQL
// (through GuardedMain: an exception is an error message and exit 1, never an abort).
#include "cli.h"
#include "common/guarded_main.h"

int main(int argc, char** argv) {
  return ibr::GuardedMain("ib-sync", [&] { return ibr::sync::RunCli(argc, argv); });
}
