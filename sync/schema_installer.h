// The central schema's versions: applying the embedded numbered migrations
// (schema/postgres/NNNN_*.sql) with the database owner, creating the roles
// ib_sync and ib_reporter, and checking that a database's schema is the one
// this binary speaks before an agent writes to it.
//
// InstallSchema is idempotent (run it again after an upgrade) and safe to run
// concurrently (advisory lock); it refuses a database newer than the binary.
// Thread-safe functions; each opens its own connection or uses the caller's.
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "common/status.h"

namespace ibr::sync {

// Newest migration number embedded in this binary.
int BinarySchemaVersion();

// kFailedPrecondition, naming the version needed, unless the database's
// schema version equals BinarySchemaVersion().
Status CheckSchemaVersion(pqxx::transaction_base& tx);

struct RolePasswords {
  // When set, the role gets LOGIN and this password (sent as a SCRAM verifier,
  // never in clear); when unset a new role is NOLOGIN and an existing one is left as is.
  std::optional<std::string> sync_password;
  std::optional<std::string> reporter_password;
};

struct InstallReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // migration file names
  std::vector<std::string> notes;    // roles created / given a password (no secrets)
};

// `up_to_version` > 0 stops after that migration (tests of upgrades from an older version).
Result<InstallReport> InstallSchema(const std::string& owner_dsn, const RolePasswords& passwords,
                                    int up_to_version = 0);

}  // namespace ibr::sync
