// RetentionScheduler: hourly storage::ApplyRetention on the writer thread, logged and counted.
#include "daemon/retention_scheduler.h"

#include <utility>

namespace ibr::daemon {

RetentionScheduler::RetentionScheduler(storage::RetentionPolicy policy, std::string root, TimeUs interval,
                                       TimeUs first_delay, TimeUs start_mono,
                                       std::function<void(const std::string&)> log)
    : policy_(std::move(policy)),
      root_(std::move(root)),
      interval_(interval),
      next_due_(start_mono + first_delay),
      log_(std::move(log)) {}

bool RetentionScheduler::RunIfDue(TimeUs mono, FileSystem& fs, catalog::Catalog& catalog, const Clock& clock) {
  if (!enabled() || mono < next_due_) return false;
  next_due_ = mono + interval_;
  ++totals_.passes;
  totals_.last_pass = clock.Now();
  auto report = storage::ApplyRetention(policy_, root_, fs, catalog, clock, false);
  if (!report.ok()) {
    ++totals_.errors;
    log_("retention: the hourly pass failed (" + report.status().message() +
         "); it runs again in an hour, or run `ib-recorder retention` after fixing the cause");
    return false;
  }
  const storage::RetentionTally t = report->Total();
  totals_.files += t.files;
  totals_.bytes += t.bytes;
  totals_.errors += report->errors.size();
  const char* verb = report->archived ? "archived" : "deleted";
  if (t.files > 0) {
    std::string line = std::string("retention: ") + verb + " " + std::to_string(t.files) + " expired sealed file" +
                       (t.files == 1 ? "" : "s") + " (" + std::to_string(t.bytes) + " bytes)" +
                       (report->archived ? " into " + policy_.archive_root : "") + ":";
    for (const auto& f : report->files) line += " " + f;
    log_(line);
  }
  for (const auto& e : report->errors) {
    log_(std::string("retention: could not remove ") + e +
         " (its catalog row is marked; `ib-recorder verify --repair` deals with the file)");
  }
  return t.files > 0;
}

}  // namespace ibr::daemon
