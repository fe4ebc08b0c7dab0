// RetentionScheduler: the daemon's hourly retention pass (issue 12). Owns the
// policy (RecorderConfig::retention), when the next pass is due on the
// injected Clock's monotonic time (first one soon after start-up, then once
// an interval), and what the passes removed this session. Writer thread only:
// it uses the writer's catalog; storage::ApplyRetention never touches open files.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "storage/retention.h"

namespace ibr::daemon {

class RetentionScheduler {
 public:
  struct Totals {
    std::uint64_t files = 0, bytes = 0;  // deleted or archived this session
    std::uint64_t errors = 0;            // files (or passes) that failed; retried next pass
    std::uint64_t passes = 0;
    std::optional<TimeUs> last_pass;     // wall-clock time of the last pass
  };

  // The first pass is due `first_delay` after `start_mono`, then every `interval`.
  RetentionScheduler(storage::RetentionPolicy policy, std::string root, TimeUs interval, TimeUs first_delay,
                     TimeUs start_mono, std::function<void(const std::string&)> log);

  // Runs a pass when one is due (and the policy keeps anything from forever);
  // true when it removed or archived files (the catalog's counts changed).
  bool RunIfDue(TimeUs mono, FileSystem& fs, catalog::Catalog& catalog, const Clock& clock);

  bool enabled() const { return policy_.Any(); }
  bool archives() const { return !policy_.archive_root.empty(); }
  const Totals& totals() const { return totals_; }

 private:
  const storage::RetentionPolicy policy_;
  const std::string root_;
  const TimeUs interval_;
  TimeUs next_due_;
  std::function<void(const std::string&)> log_;
  Totals totals_;
};

}  // namespace ibr::daemon
