// ib-recorder entry point: parses nothing itself, hands argv to the CLI module.
#include "cli/app.h"

int main(int argc, char** argv) { return ibr::cli::RunApp(argc, argv); }
