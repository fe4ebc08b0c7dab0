// PgCentralStore: the central PostgreSQL as a CentralStore (libpqxx 6.4).
//
// One connection, made lazily and dropped on any connection error (the next
// call reconnects). Each batch is one transaction: advisory lock on the
// instance, position check, tombstones, COPY (stream_to) of each table's rows
// into a TEMP staging table and one INSERT ... SELECT ... ON CONFLICT per
// table, the sweep at the end of a full pass, the new position, COMMIT.
// Connects as ib_sync (or any role with its privileges); the schema version
// must equal this binary's. One thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "central_store.h"

namespace ibr::sync {

class PgCentralStore final : public CentralStore {
 public:
  explicit PgCentralStore(std::string dsn);
  ~PgCentralStore() override;

  Result<SyncPosition> LoadPosition(const std::string& instance_name) override;
  Result<SyncPosition> ApplyBatch(const Batch& batch) override;
  Result<std::map<std::string, std::int64_t>> CountRows(const std::string& instance_name) override;
  void Disconnect() override;

  // Tests only: called inside the batch transaction after each step
  // ("tombstones", "<table>", "sweep"); throwing from it aborts the transaction
  // like a crash would.
  void SetFaultHookForTesting(std::function<void(const std::string& step)> hook) { fault_hook_ = std::move(hook); }

 private:
  Status EnsureConnected();
  Result<SyncPosition> ApplyBatchOrThrow(const Batch& batch);

  std::string dsn_;
  std::unique_ptr<pqxx::connection> conn_;
  std::function<void(const std::string&)> fault_hook_;
};

}  // namespace ibr::sync
