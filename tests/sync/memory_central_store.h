// Test support: an in-memory CentralStore that keeps the contract of
// central_store.h (atomic batches, position check, tombstones before rows,
// sessions cascade to their rows, sweep at the end of a full pass), plus
// switches to play an unreachable database. The contract suite runs against it
// and against PgCentralStore.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "central_store.h"

namespace ibr::sync::testing {

class MemoryCentralStore final : public CentralStore {
 public:
  Result<SyncPosition> LoadPosition(const std::string& instance_name) override;
  Result<SyncPosition> ApplyBatch(const Batch& batch) override;
  Result<std::map<std::string, std::int64_t>> CountRows(const std::string& instance_name) override;

  // While > 0, every call fails with kUnavailable and decrements it.
  int unavailable_calls = 0;
  int apply_calls = 0;

 private:
  struct Stored {
    Row row;
    std::int64_t pass = 0;
  };
  struct Instance {
    SyncPosition position;
    std::map<std::string, std::map<std::string, Stored>> tables;  // table -> natural key -> row
  };
  std::map<std::string, Instance> instances_;
};

}  // namespace ibr::sync::testing
