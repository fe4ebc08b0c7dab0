// ib-sync: replicates a recorder's SQLite catalog into the central PostgreSQL.
#include "cli.h"

int main(int argc, char** argv) { return ibr::sync::RunCli(argc, argv); }
