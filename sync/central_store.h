// CentralStore: where ib-sync sends catalog changes (the central PostgreSQL:
// PgCentralStore). Its contract test suite runs against the real server
// (tests/sync/central_store_contract_test.cc); there is no in-memory stand-in.
//
// The contract:
//  * LoadPosition returns what the store has committed for the instance (a zero
//    SyncPosition when it has nothing).
//  * ApplyBatch is atomic: either the rows, the tombstones and the new position
//    are all stored, or nothing is. It refuses (nothing
//    changed) unless the stored position equals batch.expected, so two agents
//    or a stale agent can never apply a window twice or skip one (kBusy).
//    Tombstones first, then rows (upserts on natural keys). A batch with
//    starts_pass begins a new full pass; when a pass's batch reaches_end, rows
//    the pass did not write are deleted (they are gone from the catalog) —
//    except rows keyed by local ids (TableSpec::KeyedByLocalIds) of other
//    catalog generations: those are the instance's history and stay.
//  * Unreachable / restarting / refusing stores answer kUnavailable; the next
//    call reconnects.
// One thread at a time per store object.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "batch.h"
#include "common/status.h"
#include "sync_position.h"

namespace ibr::sync {

class CentralStore {
 public:
  virtual ~CentralStore() = default;

  virtual Result<SyncPosition> LoadPosition(const std::string& instance_name) = 0;
  // Returns the position now stored (== batch.to_change_no of batch.generation);
  // kBusy when the stored position is not batch.expected.
  virtual Result<SyncPosition> ApplyBatch(const Batch& batch) = 0;
  // Rows the store holds for the instance, by catalog table name
  // (server_instances, collection_sessions, ..., contracts), as the current
  // catalog sees them: rows keyed by local ids only of the stored position's
  // generation (older generations' history is not counted).
  virtual Result<std::map<std::string, std::int64_t>> CountRows(const std::string& instance_name) = 0;
  // Drops any connection; the next call makes a new one.
  virtual void Disconnect() {}
};

}  // namespace ibr::sync
