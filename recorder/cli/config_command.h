// `ib-recorder config check|show|template|table`: the settings registry for
// operators — validate an env file, show effective values and their source,
// print the shipped env files and the README's table. Adds its subcommands to
// the app (main thread); exit codes: 0 fine, 1 problems found, 2 usage or unreadable file.
#pragma once

namespace CLI {
class App;
}

namespace ibr::cli {

// Adds `config` and its subcommands to `app`; their callbacks set *exit_code.
void AddConfigCommands(CLI::App& app, int* exit_code);

}  // namespace ibr::cli
