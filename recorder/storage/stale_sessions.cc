// StaleSessions: sessions left active, closed as failed.
#include "storage/stale_sessions.h"

#include <algorithm>
#include <string>

#include "common/time_text.h"

namespace ibr::storage {

Status CloseStaleSessions(catalog::Catalog& cat, TimeUs last_tick_on_disk, bool repair,
                          std::vector<StoreProblem>& problems) {
  auto sessions = cat.ListSessions(catalog::SessionStatus::kActive);
  if (!sessions.ok()) return sessions.status();
  for (auto s : *sessions) {
    // The last durable tick this session recorded, else what the disk says, else its start.
    TimeUs end = s.session_start;
    auto contracts = cat.ListSessionContracts(s.id);
    if (contracts.ok()) {
      for (const auto& c : *contracts) {
        if (c.last_message_time) end = std::max(end, *c.last_message_time);
      }
    }
    if (end == s.session_start && last_tick_on_disk > s.session_start) end = last_tick_on_disk;
    StoreProblem p;
    p.file = "session " + std::to_string(s.id);
    p.what = "collection session was left active (its writer stopped without closing it)";
    p.repair = (repair ? "closed it as failed at " : "close it as failed at ") + FormatIsoTimestamp(end);
    problems.push_back(std::move(p));
    if (repair) {
      s.status = catalog::SessionStatus::kFailed;
      s.session_end = end;
      if (!s.termination_reason) s.termination_reason = "writer stopped without closing the session (crash or kill)";
      IBR_RETURN_IF_ERROR(cat.UpdateSession(s));
    }
  }
  return Status::Ok();
}

}  // namespace ibr::storage
