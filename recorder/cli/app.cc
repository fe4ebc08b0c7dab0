// ib-recorder subcommand table (CLI11). Each subcommand lives in its own file.
#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace ibr::cli {

int RunApp(int argc, char** argv) {
  CLI::App app{"ib-recorder: records IB-Stream v2 ticks into hourly protobuf files with a SQLite catalog"};
  app.require_subcommand(1);
  app.set_version_flag("--version", IBR_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return 0;
}

}  // namespace ibr::cli
