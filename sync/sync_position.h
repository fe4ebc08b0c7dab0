// SyncPosition: how far PostgreSQL has applied one instance's catalog.
//
// A plain value, always loaded from the central database (sync_positions) and
// stored there in the same transaction as the rows it covers; never trusted
// from memory across a failure. Thread-compatible.
#pragma once

#include <cstdint>
#include <string>

namespace ibr::sync {

struct SyncPosition {
  std::string generation;        // catalog generation id; empty: nothing applied yet
  std::int64_t change_no = 0;    // every catalog change <= change_no is applied
  std::int64_t pass_no = 0;      // full pass the agent is in (0: none yet)
  bool resend_pending = false;   // a full re-send is in progress (sweep when it ends)

  bool operator==(const SyncPosition&) const = default;
};

}  // namespace ibr::sync
