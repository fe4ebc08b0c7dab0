// The ib-recorder command line: declares every subcommand and dispatches.
// Returns the process exit code. Called once, from main(), on the main thread.
#pragma once

namespace ibr::cli {

int RunApp(int argc, char** argv);

}  // namespace ibr::cli
