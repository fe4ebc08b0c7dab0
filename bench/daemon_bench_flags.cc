// DaemonBenchFlags: argv -> setters.
#include "daemon_bench_flags.h"

#include <cstdio>
#include <filesystem>

#include "daemon_recorder_process.h"

namespace ibr::bench {

FlagSetter Number(double* target) {
  return [target](const std::string& v) { *target = std::stod(v); };
}
FlagSetter Count(long* target) {
  return [target](const std::string& v) { *target = std::stol(v); };
}
FlagSetter Text(std::string* target) {
  return [target](const std::string& v) { *target = v; };
}

void StartBench(int argc, char** argv, CommonFlags& common, std::map<std::string, FlagSetter> values,
                const std::string& usage) {
  values.emplace("--seconds", Number(&common.seconds));
  values.emplace("--bin", Text(&common.bin));
  values.emplace("--dir", Text(&common.dir));
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--keep") {
      common.keep = true;
    } else if (auto v = values.find(a); v != values.end()) {
      if (i + 1 >= argc) Die(a + " needs a value (see the comment at the top of " + usage + ")");
      v->second(argv[++i]);
    } else {
      Die("unknown option " + a + " (see the comment at the top of " + usage + ")");
    }
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::filesystem::remove_all(common.dir);
  std::filesystem::create_directories(common.dir);
}

}  // namespace ibr::bench
