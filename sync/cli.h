// ib-sync's command line: run, once, resync, status, init-schema (CLI11 lives
// only in cli.cc). main() calls RunCli and returns its exit code:
// 0 done, 1 failed (message on stderr), 2 usage error.
#pragma once

namespace ibr::sync {

int RunCli(int argc, char** argv);

}  // namespace ibr::sync
