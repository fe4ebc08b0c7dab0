// `ib-recorder migrate STEP` (prepare, handoff, validate, complete, rollback,
// switch) and `ib-recorder validate-migration`: the blue-green workflow of
// seed 003 on the command line; logic in migration/. Adds the subcommands to
// the app (main thread). Exit codes: 0 done / continuity ok; 1 the step or
// check failed (recorded as failed where a row was written); 2 usage or unreadable storage.
#pragma once

#include "common/clock.h"

namespace CLI {
class App;
}

namespace ibr::cli {

// Adds `migrate` and `validate-migration` to `app`; their callbacks set *exit_code.
void AddMigrateCommands(CLI::App& app, int* exit_code, const Clock& clock);

}  // namespace ibr::cli
