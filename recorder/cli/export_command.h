// `ib-recorder export --to DIR --contracts ID,... <range as query> [--tick-types ...]
// [--format csv|ndjson] [--storage S] [--json]`: one file per contract x UTC day
// plus manifest.json (query/tick_export.h). A reader: no lock. Exit codes: 0
// done (also when nothing matched: the manifest lists no files); 1 could not
// (I/O, a damaged file); 2 usage (bad option, no catalog, DIR not empty). Main thread.
#pragma once

#include <string>

#include "cli/query_command.h"
#include "common/clock.h"

namespace ibr::cli {

struct ExportOptions {
  std::string storage;
  std::string to;
  std::string contracts;                                  // ID,ID,...
  std::string tick_types = "bid_ask,last,all_last,mid_point";
  std::string format = "csv";
  bool json = false;
  QueryOptions range;  // only the range fields: start/end, last, today, since_open, session, date, ...
};

int RunExport(const ExportOptions& options, const Clock& clock);

}  // namespace ibr::cli
