// `ib-recorder ingest`.
#include "cli/ingest_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/store_settings.h"
#include "common/json_text.h"
#include "config/config_text.h"
#include "storage/batch_ingest.h"

namespace ibr::cli {

int RunIngest(const IngestOptions& options, const Clock& clock) {
  auto so = StoreOptionsFromEnv(options.storage, options.instance_name, "ingest");
  if (!so.ok()) {
    std::cerr << "ib-recorder ingest: " << so.status().message() << "\n";
    return 2;
  }
  int fd = 0;
  if (options.input != "-") {
    fd = ::open(options.input.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      std::cerr << "ib-recorder ingest: cannot open " << config::Printable(options.input) << ": " << std::strerror(errno) << "\n";
      return 2;
    }
  }
  auto store = storage::Store::Open(*so, PosixFileSystem::Instance(), clock);
  if (!store.ok()) {
    std::cerr << "ib-recorder ingest: " << store.status().message() << "\n";
    if (fd > 0) ::close(fd);
    return 1;
  }
  for (const auto& p : (*store)->recovery().problems) {
    std::cerr << "ib-recorder ingest: recovered " << p.file << ": " << p.what << " — " << p.repair << "\n";
  }
  storage::BatchIngestOptions bo;
  bo.source_name = config::ToValidUtf8(options.input);  // kept in the catalog and reports: outside bytes made UTF-8
  bo.force = options.force;
  auto result = storage::IngestFromFd(**store, fd, bo);
  if (fd > 0) ::close(fd);
  if (!result.ok()) {
    std::cerr << "ib-recorder ingest: " << result.status().message() << "\n";
    return result.status().code() == StatusCode::kAlreadyExists ? 3 : 1;
  }
  const storage::IngestSummary& s = *result;
  if (options.json) {
    nlohmann::json j = {{"accepted", s.accepted},
                        {"rejected", s.rejected},
                        {"reasons", s.reasons},
                        {"lifecycle", s.lifecycle},
                        {"files", s.files}};
    if (s.rejects_not_kept > 0) j["rejects_not_kept"] = s.rejects_not_kept;
    std::cout << SafeDump(j) << "\n";
  } else {
    std::cout << "accepted " << s.accepted << " ticks into " << s.files << " files; rejected " << s.rejected;
    if (!s.reasons.empty()) {
      std::cout << " (";
      bool first = true;
      for (const auto& [r, n] : s.reasons) {
        std::cout << (first ? "" : ", ") << r << ": " << n;
        first = false;
      }
      std::cout << ")";
    }
    std::cout << "; lifecycle messages " << s.lifecycle << "; heartbeats " << s.heartbeats << "\n";
    std::cout << "session " << s.session_id << "; sealed " << s.seal.sealed << " files";
    if (s.reasons.count("line_too_long") || s.rejected > 0) {
      std::cout << "; rejected lines are kept in " << so->root << "/rejects/";
      if (s.rejects_not_kept > 0) std::cout << " (" << s.rejects_not_kept << " not kept: its daily bound was reached)";
    }
    std::cout << "\n";
  }
  for (const auto& e : s.seal.errors) std::cerr << "ib-recorder ingest: could not seal " << e << " (retried later)\n";
  if (!s.store_error.empty()) {
    std::cerr << "ib-recorder ingest: stopped storing: " << s.store_error << " (" << s.dropped
              << " valid ticks not stored)\n";
    return 1;
  }
  return 0;
}

}  // namespace ibr::cli
