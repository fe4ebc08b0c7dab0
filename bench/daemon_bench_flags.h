// DaemonBenchFlags: the daemon benches' command line and start-up — "--name value" options and bare
// switches, anything else stops the bench with a message naming where the flags are documented.
// Bench code only; call from main().
#pragma once

#include <functional>
#include <map>
#include <string>

namespace ibr::bench {

using FlagSetter = std::function<void(const std::string& value)>;

// Setters that parse the value into *target.
FlagSetter Number(double* target);
FlagSetter Count(long* target);
FlagSetter Text(std::string* target);

// The flags every daemon bench has: --seconds, --bin (ib-recorder), --dir (scratch), --keep.
struct CommonFlags {
  double seconds = 10;
  std::string bin;
  std::string dir;
  bool keep = false;
};

// Applies argv[1..] to `common` and `values` (each takes the next argument); dies on an unknown
// flag or a missing value, pointing at `usage` (the file whose top comment lists the flags).
// Then line-buffers stdout (progress shows as it happens, also when piped) and empties the
// scratch directory `common.dir`.
void StartBench(int argc, char** argv, CommonFlags& common, std::map<std::string, FlagSetter> values,
                const std::string& usage);

}  // namespace ibr::bench
